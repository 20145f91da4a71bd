package io.github.agentobservability.ai.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a streamed model call started and when its first chunk arrived, kept in the call's
 * observation context. Observation handlers only see start and stop; the first chunk is
 * seen by {@link FirstChunkAdvisor} in the ChatClient's stream.
 */
public final class StreamTiming {

	private final long startNanos;

	private final AtomicLong firstChunkNanos = new AtomicLong();

	private volatile boolean cancelled;

	StreamTiming(long startNanos) {
		this.startNanos = startNanos;
	}

	/**
	 * Records the first chunk; later chunks are ignored.
	 * @param nanos {@link System#nanoTime()} at the chunk
	 * @return whether this was the first chunk
	 */
	boolean firstChunk(long nanos) {
		return this.firstChunkNanos.compareAndSet(0, nanos);
	}

	void cancel() {
		this.cancelled = true;
	}

	/**
	 * Seconds from the start of the call to its first chunk.
	 * @return the time to first chunk, or a negative number when no chunk arrived
	 */
	public double timeToFirstChunkSeconds() {
		long first = this.firstChunkNanos.get();
		return (first != 0) ? (first - this.startNanos) / 1e9 : -1;
	}

	/**
	 * Whether the consumer cancelled the stream before it completed.
	 * @return whether the stream was cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

}
