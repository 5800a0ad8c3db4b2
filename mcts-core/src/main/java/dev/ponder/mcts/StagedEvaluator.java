package dev.ponder.mcts;

/**
 * An {@link Evaluator} whose work on a batch comes in three steps, so that the network can run on one
 * thread while another does everything else: {@link Stage#encode} writes the batch's states into the
 * network's input buffers, {@link Stage#run} calls the network, and {@link Stage#decode} reads its
 * outputs into the batch. An {@link SearchPool#overlapped overlapped pool} encodes and decodes as part
 * of its search steps, and runs the network for one group's batch while the other thread backs up,
 * gathers and encodes another's.
 *
 * <p>The buffers of one batch in flight belong to a {@link Stage}; a pool with several batches in
 * flight holds a stage for each, and reuses them from batch to batch. {@link #evaluate} still
 * works on its own (encode, run and decode in turn on the calling thread), so a staged evaluator can
 * be given to anything that takes an {@link Evaluator}.
 *
 * @param <S> the state type
 */
public interface StagedEvaluator<S> extends Evaluator<S> {

  /**
   * A new stage, owned by the caller, who closes it. Stages are costly (buffers, native tensors):
   * take one per batch in flight and reuse it. Must be thread-safe: each thread of a pool takes its
   * own, and the stages of different threads encode and decode at the same time.
   */
  Stage<S> newStage();

  /**
   * Encodes, runs and decodes the batch in turn on the calling thread, through a stage opened for
   * this call. Implementations whose stages are costly override this to reuse them.
   */
  @Override
  default void evaluate(EvaluationBatch<S> batch) {
    try (Stage<S> stage = newStage()) {
      stage.encode(batch);
      stage.run();
      stage.decode(batch);
    }
  }

  /**
   * The buffers of one batch in flight and the three steps over them, always in the order encode,
   * run, decode, the decode given the same batch as the encode, unchanged. The steps may be called
   * from different threads, one step at a time, the caller ordering them (happens-before) as the
   * search pool's hand-off does. After any step throws, the stage may be used again from
   * {@link #encode}.
   *
   * @param <S> the state type
   */
  interface Stage<S> extends AutoCloseable {

    /** Writes the states of the batch into this stage's input buffers (CPU work, search thread). */
    void encode(EvaluationBatch<S> batch);

    /**
     * Runs the network over the encoded inputs into this stage's output buffers: nothing else. Must
     * not touch the batch, which the search thread may be reading meanwhile.
     */
    void run();

    /**
     * Reads the outputs, checks them, and writes priors and values into the batch, as
     * {@link Evaluator#evaluate} would (CPU work, search thread).
     */
    void decode(EvaluationBatch<S> batch);

    /** Frees the buffers. Idempotent; not while a step of this stage is running. */
    @Override
    void close();
  }
}
