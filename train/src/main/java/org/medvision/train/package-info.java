/**
 * The engine-neutral training loop: {@link org.medvision.train.Trainer} trains a task's classifier on any engine
 * whose capabilities include training, with {@link org.medvision.train.TrainerConfig} settings, seeded
 * {@link org.medvision.train.Augmentation}, {@link org.medvision.train.TrainingData} from a manifest or dataset
 * folder, checkpoints with JSON sidecars ({@link org.medvision.train.CheckpointInfo}), a per-epoch CSV log, early
 * stopping, resume and Ctrl-C handling ({@link org.medvision.train.StopOnShutdown}).
 *
 * <p>Training accuracy is not measured: {@link org.medvision.api.training.TrainingSession#forwardBackward} returns
 * only the loss, and an extra inference pass per batch would cost about a third of a training step. The log's
 * {@code train_acc} column stays empty until the session returns the logits it computes anyway.
 */
package org.medvision.train;
