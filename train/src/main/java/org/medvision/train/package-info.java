/**
 * The engine-neutral training loop: {@link org.medvision.train.Trainer} trains any task from its training recipe
 * (named losses and their weights, sampler, parameter groups, balancer) on any engine whose capabilities include
 * training, with {@link org.medvision.train.TrainerConfig} settings, seeded augmentation, data from
 * {@link org.medvision.io.dataset.TaskData}, validation through the task's metric suites, checkpoints with JSON
 * sidecars ({@link org.medvision.train.CheckpointInfo}), a per-epoch CSV log, early stopping, resume and Ctrl-C
 * handling ({@link org.medvision.train.StopOnShutdown}).
 *
 * <p>Training accuracy is not measured: {@link org.medvision.api.training.TrainingSession#forwardBackward} returns
 * only the loss, and an extra inference pass per batch would cost about a third of a training step. The log's
 * {@code train_acc} column stays empty until the session returns the logits it computes anyway.
 */
package org.medvision.train;
