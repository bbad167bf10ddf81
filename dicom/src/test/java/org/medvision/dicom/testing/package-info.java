/**
 * Test helpers shared by the dicom module's test packages, one per job: {@link
 * org.medvision.dicom.testing.PeerTools} runs the peer tools (dcmtk, gdcm, dicom3tools), {@link
 * org.medvision.dicom.testing.Dcmdump} parses dcmdump's element lines, {@link org.medvision.dicom.testing.Corpus}
 * finds the real sample files, and {@link org.medvision.dicom.testing.Bytes} writes hand-made byte streams.
 */
package org.medvision.dicom.testing;
