package io.github.agentobservability.ai.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a streamed model call started, when its first chunk arrived and how long each
 * later chunk took, kept in the call's observation context. Observation handlers only see
 * start and stop; chunks are seen where they flow: by {@link StreamChunkTimer} in the
 * HTTP response of Spring AI's OpenAI client, and by {@link FirstChunkAdvisor} in a
 * ChatClient's stream, for other clients. The first to see a chunk wins.
 */
public final class StreamTiming {

	/** Chunk times kept per call; a longer stream's later chunks are not timed. */
	static final int MAX_CHUNKS = 4_096;

	private final long startNanos;

	private final AtomicLong firstChunkNanos = new AtomicLong();

	private volatile boolean cancelled;

	/** End of each chunk after the first, in {@link System#nanoTime()}. */
	private long[] chunkEnds = new long[0];

	private int chunks;

	private long firstChunkEnd;

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

	/**
	 * Records the end of a chunk of the response: the first, or one after it.
	 * @param nanos {@link System#nanoTime()} at the end of the chunk
	 */
	synchronized void chunk(long nanos) {
		if (firstChunk(nanos)) {
			this.firstChunkEnd = nanos;
			return;
		}
		if (this.firstChunkEnd == 0 || this.chunks >= MAX_CHUNKS) {
			return;
		}
		if (this.chunks == this.chunkEnds.length) {
			this.chunkEnds = Arrays.copyOf(this.chunkEnds, Math.max(16, this.chunks * 2));
		}
		this.chunkEnds[this.chunks++] = nanos;
	}

	/**
	 * Forgets the last chunk after the first: the stream's terminating event, which is
	 * not output.
	 */
	synchronized void dropLastChunk() {
		if (this.chunks > 0) {
			this.chunks--;
		}
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
	 * The time each chunk after the first took, from the end of the chunk before it to
	 * its own end, as the conventions' {@code gen_ai.client.operation.time_per_output_chunk}
	 * measures it.
	 * @return the durations in nanoseconds, empty when no chunk after the first was timed
	 */
	synchronized long[] timePerChunkNanos() {
		long[] durations = new long[this.chunks];
		long previous = this.firstChunkEnd;
		for (int i = 0; i < this.chunks; i++) {
			durations[i] = this.chunkEnds[i] - previous;
			previous = this.chunkEnds[i];
		}
		return durations;
	}

	/**
	 * Whether the consumer cancelled the stream before it completed.
	 * @return whether the stream was cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

}
