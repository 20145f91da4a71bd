package io.github.agentobservability.ai.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * The streamed model calls in progress, so that what sees a stream's chunks but not the
 * model call's observation can find the call they belong to: {@link FirstChunkAdvisor} a
 * ChatClient's chunks, by the advisor's observation the call runs under, and
 * {@link StreamedRequestTracingHandler} and {@link StreamChunkTimer} the HTTP request of
 * the call, on the thread of OkHttp's dispatcher where Spring AI's OpenAI client sends
 * it.
 * <p>
 * Spring AI starts a stream's observation and, on the same thread and before returning,
 * subscribes to the OpenAI client's streaming request, which OkHttp hands to its
 * dispatcher's executor. So the call whose observation started last on a thread is the
 * one whose request that thread enqueues next: {@link #dispatcher(ExecutorService)} takes
 * it there and makes it the {@linkplain #requestInProgress() request in progress} of the
 * dispatcher thread that sends the request, where no observation is current. A call that
 * stopped before its request was enqueued is not handed over.
 */
public final class StreamingChats {

	private static final int MAX_DEPTH = 64;

	private final Set<ChatModelObservationContext> inProgress = ConcurrentHashMap.newKeySet();

	/** The streamed call that started last on a thread and has not sent its request. */
	private final ThreadLocal<ChatModelObservationContext> requestPending = new ThreadLocal<>();

	/** The streamed call whose request a dispatcher thread is sending. */
	private final ThreadLocal<ChatModelObservationContext> requestSending = new ThreadLocal<>();

	void started(ChatModelObservationContext context) {
		this.inProgress.add(context);
		this.requestPending.set(context);
	}

	void stopped(ChatModelObservationContext context) {
		this.inProgress.remove(context);
		if (this.requestPending.get() == context) {
			this.requestPending.remove();
		}
	}

	/**
	 * Returns an executor for OkHttp's dispatcher that runs each request it is handed as
	 * part of the streamed call pending on the thread that handed it over.
	 * @param executor the executor that runs the requests
	 * @return the executor to give the dispatcher
	 */
	public ExecutorService dispatcher(ExecutorService executor) {
		return new HandingOverExecutorService(executor);
	}

	/**
	 * The streamed call whose HTTP request the current thread is sending.
	 * @return the call's observation context, or {@code null} outside one
	 */
	@Nullable ChatModelObservationContext requestInProgress() {
		return this.requestSending.get();
	}

	private @Nullable ChatModelObservationContext takePending() {
		ChatModelObservationContext pending = this.requestPending.get();
		if (pending == null) {
			return null;
		}
		this.requestPending.remove();
		return this.inProgress.contains(pending) ? pending : null;
	}

	/**
	 * Returns the timing of the streamed call running under an observation.
	 * @param ancestor the observation the call must descend from
	 * @return the call's timing, or {@code null} when none is in progress under it
	 */
	@Nullable StreamTiming under(Observation.ContextView ancestor) {
		for (ChatModelObservationContext context : this.inProgress) {
			if (descends(context, ancestor)) {
				return context.get(StreamTiming.class);
			}
		}
		return null;
	}

	int size() {
		return this.inProgress.size();
	}

	/**
	 * Runs each task as part of the streamed call pending on the thread that submits it.
	 * OkHttp's dispatcher only calls {@link #execute(Runnable)}; the lifecycle methods go
	 * to the executor that runs the tasks.
	 */
	private final class HandingOverExecutorService extends AbstractExecutorService {

		private final ExecutorService executor;

		HandingOverExecutorService(ExecutorService executor) {
			this.executor = executor;
		}

		@Override
		public void execute(Runnable task) {
			ChatModelObservationContext call = takePending();
			if (call == null) {
				this.executor.execute(task);
				return;
			}
			this.executor.execute(() -> {
				StreamingChats.this.requestSending.set(call);
				try {
					task.run();
				}
				finally {
					StreamingChats.this.requestSending.remove();
				}
			});
		}

		@Override
		public void shutdown() {
			this.executor.shutdown();
		}

		@Override
		public List<Runnable> shutdownNow() {
			return this.executor.shutdownNow();
		}

		@Override
		public boolean isShutdown() {
			return this.executor.isShutdown();
		}

		@Override
		public boolean isTerminated() {
			return this.executor.isTerminated();
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
			return this.executor.awaitTermination(timeout, unit);
		}

	}

	private static boolean descends(Observation.ContextView context, Observation.ContextView ancestor) {
		ObservationView parent = context.getParentObservation();
		for (int depth = 0; parent != null && depth < MAX_DEPTH; depth++) {
			Observation.ContextView view = parent.getContextView();
			if (view == ancestor) {
				return true;
			}
			parent = view.getParentObservation();
		}
		return false;
	}

}
