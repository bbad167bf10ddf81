/**
 * Text for the tasks that encode words with BERT: the WordPiece tokenizer with Hugging Face's rules
 * ({@link org.medvision.tasks.common.text.BertTokenizer}), Hugging Face BERT model folders
 * ({@link org.medvision.tasks.common.text.BertFolder}) and a tiny random one for tests and synthetic runs
 * ({@link org.medvision.tasks.common.text.TinyBertFolder}). The encoder graph itself is
 * {@link org.medvision.tasks.common.BertEncoder}.
 */
package org.medvision.tasks.common.text;
