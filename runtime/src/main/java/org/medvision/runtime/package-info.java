/**
 * Running trained models, for the command line and for applications that embed medvision: loading a checkpoint or an
 * ensemble with its whole task configuration ({@link org.medvision.runtime.ModelSource}), predicting with any engine
 * ({@link org.medvision.runtime.Predictor}), scoring a data set ({@link org.medvision.runtime.Evaluation}), reading
 * user inputs (DICOM studies, NIfTI volumes, images) as the task's schema says, and writing results as DICOM SR,
 * Secondary Capture overlays, SEG and NIfTI. It interprets what tasks declare and names no task.
 */
package org.medvision.runtime;
