/**
 * Learning-rate schedules: the rate of every optimiser update of a run, as a pure function of the update's index, so
 * a resumed run continues the schedule exactly where it stopped.
 */
package org.medvision.train.schedule;
