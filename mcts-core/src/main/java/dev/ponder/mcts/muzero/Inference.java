package dev.ponder.mcts.muzero;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One output of a {@link LearnedModel}: the latent state reached, the reward predicted for reaching it,
 * policy logits over the action space, and the value predicted for the latent state. The arrays belong
 * to the receiver.
 *
 * @param latent the latent state
 * @param reward the predicted reward of the action that led here (zero for an initial inference)
 * @param policyLogits unnormalised log-probabilities over the whole action space
 * @param value the predicted value of the latent state
 */
public record Inference(float[] latent, double reward, float[] policyLogits, double value) {

  /** Checks that the arrays are present. */
  public Inference {
    checkNotNull(latent, "latent");
    checkNotNull(policyLogits, "policyLogits");
  }
}
