package io.github.agentobservability.ai.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.binder.okhttp3.OkHttpContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * Traces the HTTP request of a streamed model call as a child of the call's span. Spring
 * AI's OpenAI client sends a stream's request from OkHttp's dispatcher thread, where no
 * observation is current: Boot's handler would start the request's span as the root of
 * a trace of its own. This handler claims the call a streamed request (one to
 * {@code /chat/completions} that accepts {@code text/event-stream}) belongs to from
 * {@link StreamingChats}, gives the request's
 * observation that call's span as its parent, and makes the call known to
 * {@link StreamChunkTimer} further down the same thread; then it traces and propagates
 * the request exactly as Boot's sender handler does, through the same Micrometer class.
 * <p>
 * Ordered before Boot's sender handler in the tracing handlers, of which the first that
 * supports an observation handles it; it supports only the requests of streamed calls.
 * A delegate rather than a subclass, so that Boot's own sender handler bean, which backs
 * off for a bean of its type, stays.
 */
public final class StreamedRequestTracingHandler implements TracingObservationHandler<SenderContext<?>> {

	private static final String CHAT_COMPLETIONS = "/chat/completions";

	private final StreamingChats streamingChats;

	private final PropagatingSenderTracingObservationHandler<SenderContext<?>> delegate;

	public StreamedRequestTracingHandler(Tracer tracer, Propagator propagator, StreamingChats streamingChats) {
		this.streamingChats = streamingChats;
		this.delegate = new PropagatingSenderTracingObservationHandler<>(tracer, propagator);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof OkHttpContext request
				&& (request.containsKey(StreamedRequest.class) || isStreamed(request.getOriginalRequest()));
	}

	/**
	 * Whether a request is a streamed chat completion: OpenAI's streaming endpoint, asked
	 * for server-sent events. Another OkHttp client of the application, streaming from
	 * elsewhere, is not taken for a model call.
	 */
	static boolean isStreamed(@Nullable Request request) {
		return request != null && "text/event-stream".equals(request.header("Accept"))
				&& request.url().encodedPath().endsWith(CHAT_COMPLETIONS);
	}

	/**
	 * The request's body as text, when it can be read again: Spring AI's client sends the
	 * SDK's JSON bodies, which can.
	 */
	static @Nullable String body(@Nullable Request request) {
		RequestBody body = (request != null) ? request.body() : null;
		if (body == null || body.isOneShot()) {
			return null;
		}
		try {
			Buffer buffer = new Buffer();
			body.writeTo(buffer);
			return buffer.readString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public void onStart(SenderContext<?> context) {
		Request request = ((OkHttpContext) context).getOriginalRequest();
		ChatModelObservationContext call = this.streamingChats.claim(() -> body(request));
		if (call != null) {
			this.streamingChats.sending(call);
		}
		if (call != null && context.get(TracingContext.class) == null) {
			TracingContext callTracing = call.get(TracingContext.class);
			Span callSpan = (callTracing != null) ? callTracing.getSpan() : null;
			if (callSpan != null) {
				// A tracing context already in the observation holds the parent span
				TracingContext tracing = new TracingContext();
				tracing.setSpan(callSpan);
				context.put(TracingContext.class, tracing);
			}
		}
		context.put(StreamedRequest.class, StreamedRequest.INSTANCE);
		this.delegate.onStart(context);
	}

	@Override
	public void onStop(SenderContext<?> context) {
		this.streamingChats.requestSent();
		this.delegate.onStop(context);
	}

	@Override
	public void onError(SenderContext<?> context) {
		this.delegate.onError(context);
	}

	@Override
	public void onEvent(Observation.Event event, SenderContext<?> context) {
		this.delegate.onEvent(event, context);
	}

	@Override
	public void onScopeOpened(SenderContext<?> context) {
		this.delegate.onScopeOpened(context);
	}

	@Override
	public void onScopeClosed(SenderContext<?> context) {
		this.delegate.onScopeClosed(context);
	}

	@Override
	public void onScopeReset(SenderContext<?> context) {
		this.delegate.onScopeReset(context);
	}

	@Override
	public Tracer getTracer() {
		return this.delegate.getTracer();
	}

	/** Marks a request this handler started, so that it also handles the rest. */
	private enum StreamedRequest {

		INSTANCE

	}

}
