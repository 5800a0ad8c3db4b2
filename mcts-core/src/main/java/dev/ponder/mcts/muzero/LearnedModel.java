package dev.ponder.mcts.muzero;

import java.util.List;

/**
 * A learned model of an environment, as in MuZero: a representation function h that turns an
 * observation into a latent state, a dynamics function g that gives the next latent state and the
 * reward of an action, and a prediction function f that gives policy logits and a value for a latent
 * state. Search over latent states uses the same tree as search over real states.
 *
 * <p>Both calls are batched and combine f with h or g, as in the paper: {@code initial} is f(h(o)),
 * {@code recurrent} is f(g(s, a)). Implementations must be safe to call from one thread at a time and
 * should be closed when no longer needed.
 *
 * <p>Reference: J. Schrittwieser et al., "Mastering Atari, Go, chess and shogi by planning with a learned
 * model", Nature 588 (2020).
 */
public interface LearnedModel extends AutoCloseable {

  /** Size A of the action space. */
  int actionCount();

  /** Number of floats in one observation. */
  int observationSize();

  /** Number of floats in one latent state. */
  int latentSize();

  /**
   * f(h(o)) for a batch of observations, each of {@link #observationSize()} floats.
   *
   * @return one inference per observation, in order; their rewards are zero
   */
  List<Inference> initial(List<float[]> observations);

  /**
   * f(g(s, a)) for a batch of latent states and one action each.
   *
   * @param latents latent states, each of {@link #latentSize()} floats
   * @param actions one action in {@code [0, actionCount())} per latent state
   * @return one inference per latent state, in order
   */
  List<Inference> recurrent(List<float[]> latents, int[] actions);

  /** Releases the model's resources; further calls fail. Idempotent. */
  @Override
  void close();
}
