/**
 * Multi-label chest X-ray classification with label prototypes (Jin, Lu, Zhu and Huo, "Deep metric learning for
 * multi-label chest X-ray classification with a dual-weighted metric loss", Comput Biol Med 157:106683, 2023): a
 * ConvNeXt image vector compared by cosine with a prototype per finding made from the finding's name by a frozen
 * BERT, trained with a dual-weighted metric loss and BCE. The public entry is
 * {@link org.medvision.tasks.cxrprototype.CxrPrototypeTaskProvider}; everything else is package-private.
 */
package org.medvision.tasks.cxrprototype;
