/**
 * The paper's study in one call: the comparison sets of a map (full, high-avg, low-avg,
 * high-var and a random sample the size of high-avg) as training pairs, with the training
 * configurations (LLaMA-Factory YAML, a TRL equivalent) and the commands to train and
 * evaluate them. admap writes the study; it does not train.
 */
package org.admap.experiment;
