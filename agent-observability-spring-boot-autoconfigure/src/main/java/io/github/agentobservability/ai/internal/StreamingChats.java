package io.github.agentobservability.ai.internal;

import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

import io.github.agentobservability.tracing.internal.AgentRuns;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * The streamed model calls in progress, so that what sees a stream's chunks or its HTTP
 * request but not the model call's observation can find the call they belong to:
 * {@link FirstChunkAdvisor} a ChatClient's chunks, by the advisor's observation the call
 * runs under; {@link StreamedRequestTracingHandler} and {@link StreamChunkTimer} the
 * request of the call, which Spring AI's OpenAI client sends from other threads (the
 * SDK's asynchronous stages, then OkHttp's dispatcher) where nothing of the call is
 * current.
 * <p>
 * A streamed call is pending from the start of its observation until a request claims
 * it ({@link #claim}). One pending call is the request's; among several, the request's
 * body names the one whose last user message it carries; a request that several or none
 * match claims none and is traced as Boot would trace it.
 */
public final class StreamingChats {

	/** The provider whose client's requests are claimed: Spring AI's OpenAI client. */
	private static final String OPENAI = "openai";

	/** Calls kept pending at most; a request that never comes does not hold more. */
	static final int MAX_PENDING = 1_000;

	/** Characters of the last user message a request's body is matched against. */
	private static final int FINGERPRINT_LENGTH = 64;

	private final Set<ChatModelObservationContext> inProgress = ConcurrentHashMap.newKeySet();

	private final Deque<ChatModelObservationContext> pending = new ConcurrentLinkedDeque<>();

	/** The streamed call whose HTTP request a thread is sending. */
	private final ThreadLocal<ChatModelObservationContext> requestSending = new ThreadLocal<>();

	void started(ChatModelObservationContext context) {
		this.inProgress.add(context);
		if (!OPENAI.equals(context.getOperationMetadata().provider())) {
			return;
		}
		this.pending.add(context);
		if (this.pending.size() > MAX_PENDING) {
			this.pending.poll();
		}
	}

	void stopped(ChatModelObservationContext context) {
		this.inProgress.remove(context);
		this.pending.remove(context);
	}

	/**
	 * Claims the pending streamed call a streamed request belongs to.
	 * @param body reads the request's body, asked only when several calls are pending;
	 * returns {@code null} when the body cannot be read again
	 * @return the call's observation context, or {@code null} when it is not known
	 */
	@Nullable ChatModelObservationContext claim(Supplier<@Nullable String> body) {
		ChatModelObservationContext only = this.pending.peek();
		if (only == null) {
			return null;
		}
		ChatModelObservationContext claimed = null;
		if (this.pending.size() == 1) {
			claimed = only;
		}
		else {
			String text = body.get();
			if (text == null) {
				return null;
			}
			for (ChatModelObservationContext candidate : this.pending) {
				String fingerprint = fingerprint(candidate);
				if (fingerprint != null && text.contains(fingerprint)) {
					if (claimed != null) {
						// Two calls with the same message: neither is known to be this one
						return null;
					}
					claimed = candidate;
				}
			}
		}
		return (claimed != null && this.pending.remove(claimed)) ? claimed : null;
	}

	/**
	 * The start of a call's last user message as its request's JSON body carries it: up
	 * to the first character JSON would escape.
	 */
	private static @Nullable String fingerprint(ChatModelObservationContext call) {
		UserMessage message = call.getRequest().getUserMessage();
		String text = (message != null) ? message.getText() : null;
		if (text == null || text.isEmpty()) {
			return null;
		}
		int end = 0;
		while (end < text.length() && end < FINGERPRINT_LENGTH) {
			char c = text.charAt(end);
			if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
				break;
			}
			end++;
		}
		return (end >= 8) ? text.substring(0, end) : null;
	}

	/**
	 * Makes a claimed call the one whose request the current thread is sending, until
	 * {@link #requestSent()}.
	 */
	void sending(ChatModelObservationContext call) {
		this.requestSending.set(call);
	}

	void requestSent() {
		this.requestSending.remove();
	}

	/**
	 * The streamed call whose HTTP request the current thread is sending.
	 * @return the call's observation context, or {@code null} outside one
	 */
	@Nullable ChatModelObservationContext requestInProgress() {
		return this.requestSending.get();
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

	private static boolean descends(Observation.ContextView context, Observation.ContextView ancestor) {
		ObservationView parent = context.getParentObservation();
		return parent != null
				&& AgentRuns.firstUp(parent.getContextView(), (view) -> (view == ancestor) ? Boolean.TRUE : null) != null;
	}

}
