package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.TracedObservationDocumentation;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.annotation.Traced;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * Makes the span of a {@code @Traced} call with the OpenTelemetry API, in place of Spring
 * Boot's default tracing handler, which still handles every other observation.
 * <p>
 * Boot's handler goes through Micrometer Tracing's bridge for every step: it starts an
 * unnamed span and renames it, wraps the span in bridge objects, keeps each scope in a
 * per-thread map, turns each key value into a fresh attribute key, and copies the whole
 * span when it ends to see whether a status was set. On a method that does little, that is
 * a good part of the cost of tracing it (see {@code docs/performance.md}). This handler
 * makes the same span (same name, parent, attributes, events, exception and status) with
 * the OpenTelemetry API, and keeps what other handlers read: the {@link TracingContext} in
 * the observation's context, through which child observations, on this thread or another,
 * find their parent, and the bridge's view of the current span, through which they find
 * it on this thread.
 * <p>
 * The span's status is left {@link StatusCode#UNSET UNSET} when the call succeeds, as the
 * OpenTelemetry specification asks of instrumentation (OK is the application's to set,
 * and a status it set is kept), and is {@link StatusCode#ERROR ERROR} when the call fails.
 * Micrometer's bridge would copy the whole span at its end to look for a status set by
 * hand, and set OK when there is none.
 */
public class TracedTracingObservationHandler
		implements TracingObservationHandler<TracedCall>, TracedSpanStarter {

	private static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey(TracedCall.CONVERSATION_ID);

	private static final AttributeKey<Long> AGENT_OUTPUT_LENGTH = AttributeKey
		.longKey(TracedObservationDocumentation.HighCardinalityKeyNames.AGENT_OUTPUT_LENGTH.asString());

	private final Tracer tracer;

	private final io.opentelemetry.api.trace.Tracer otelTracer;

	private final AttributeKeys attributeKeys = new AttributeKeys();

	/**
	 * Creates the handler.
	 * @param tracer Micrometer's tracer, for what other handlers expect of a tracing
	 * handler (resetting scopes)
	 * @param otelTracer the OpenTelemetry tracer the spans are made with: Boot's, so that
	 * they carry the same instrumentation scope as the other spans
	 */
	public TracedTracingObservationHandler(Tracer tracer, io.opentelemetry.api.trace.Tracer otelTracer) {
		this.tracer = tracer;
		this.otelTracer = otelTracer;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof TracedCall;
	}

	@Override
	public StartedSpan start(TracedMethod method) {
		return startSpan(method, Context.current());
	}

	@Override
	public void onStart(TracedCall context) {
		TracedSpanContext span = (context.getStartedSpan() instanceof TracedSpanContext started) ? started
				: startSpan(context.getTracedMethod(), parentContext(context));
		context.put(TracingContext.class, span);
	}

	private TracedSpanContext startSpan(TracedMethod method, Context parent) {
		SpanBuilder builder = this.otelTracer.spanBuilder(method.getSpanName()).setParent(parent);
		if (method.getKind() != Traced.Kind.INTERNAL) {
			builder.setSpanKind(SpanKind.valueOf(method.getKind().name()));
		}
		Span span = builder.startSpan();
		return new TracedSpanContext(span, parent.with(span));
	}

	/**
	 * The parent by Micrometer's rule: the span of the parent observation, unless another
	 * span was made current by hand since.
	 */
	private Context parentContext(TracedCall context) {
		Context current = Context.current();
		ObservationView parentObservation = context.getParentObservation();
		if (parentObservation == null) {
			return current;
		}
		TracingContext parentTracing = parentObservation.getContextView().get(TracingContext.class);
		if (parentTracing == null) {
			return current;
		}
		if (parentTracing instanceof TracedSpanContext traced) {
			return Span.fromContext(current).getSpanContext().isValid() ? current : traced.context;
		}
		io.micrometer.tracing.Span parentSpan = parentTracing.getSpan();
		if (!(parentSpan instanceof OtelSpan) || Span.fromContext(current).getSpanContext().isValid()) {
			return current;
		}
		return current.with(OtelSpan.toOtel(parentSpan));
	}

	/**
	 * Makes the span current through Micrometer's bridge rather than with
	 * {@link Context#makeCurrent()}: the bridge keeps its own view of the current span in
	 * the OpenTelemetry context, which a plain {@code makeCurrent} inside an observation
	 * of Boot's would leave pointing at the outer span, so that child observations would
	 * skip this one.
	 */
	@Override
	public void onScopeOpened(TracedCall context) {
		TracingContext tracing = getTracingContext(context);
		if (tracing instanceof TracedSpanContext traced) {
			CurrentTraceContext.Scope scope = this.tracer.currentTraceContext().maybeScope(traced.getSpan().context());
			traced.setScope(new TracedSpanScope(traced, scope, traced.getScope()));
		}
	}

	@Override
	public void onError(TracedCall context) {
		Throwable error = context.getError();
		Span span = span(context);
		if (error != null && span != null) {
			recordError(span, error);
		}
	}

	@Override
	public void onEvent(Observation.Event event, TracedCall context) {
		Span span = span(context);
		if (span == null) {
			return;
		}
		long wallTime = event.getWallTime();
		if (wallTime == 0) {
			span.addEvent(event.getContextualName());
		}
		else {
			span.addEvent(event.getContextualName(), wallTime, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void onStop(TracedCall context) {
		Span span = span(context);
		if (span == null) {
			return;
		}
		if (span.isRecording()) {
			String name = getSpanName(context);
			if (!name.equals(context.getTracedMethod().getSpanName())) {
				span.updateName(name);
			}
			String conversation = context.getChatMemoryConversationId();
			if (conversation != null) {
				// Before the application's attributes, which name a conversation of their own
				span.setAttribute(CONVERSATION_ID, conversation);
			}
			Map<String, Object> user = context.getUserAttributes();
			for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
				if (user.isEmpty() || !user.containsKey(keyValue.getKey())) {
					tag(span, keyValue);
				}
			}
			ParameterAttribute[] parameters = context.getTracedMethod().getParameterAttributes();
			for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
				String key = keyValue.getKey();
				if ((parameters.length == 0 || !isParameterKey(parameters, key))
						&& (user.isEmpty() || !user.containsKey(key)) && !key.equals(AGENT_OUTPUT_LENGTH.getKey())) {
					tag(span, keyValue);
				}
			}
			if (parameters.length > 0) {
				ParameterAttributes.write(span, parameters, context.getArguments());
			}
			long outputLength = context.getAgentOutputLength();
			if (outputLength >= 0 && !user.containsKey(AGENT_OUTPUT_LENGTH.getKey())) {
				span.setAttribute(AGENT_OUTPUT_LENGTH, outputLength);
			}
			user.forEach((key, value) -> TypedAttributes.set(span, key, value));
			String marked = context.getMarkedError();
			if (marked != null && context.getError() == null) {
				span.setStatus(StatusCode.ERROR, marked);
			}
			if (context.getTracedMethod().getAgentName() != null) {
				AgentRunTotals.writeAndEnd(context, span);
				return;
			}
		}
		span.end();
	}

	private static boolean isParameterKey(ParameterAttribute[] parameters, String key) {
		for (ParameterAttribute parameter : parameters) {
			if (parameter.key().equals(key)) {
				return true;
			}
		}
		return false;
	}

	private void tag(Span span, KeyValue keyValue) {
		String key = keyValue.getKey();
		if (key.equalsIgnoreCase("error")) {
			recordError(span, new RuntimeException(keyValue.getValue()));
		}
		else {
			this.attributeKeys.set(span, keyValue);
		}
	}

	private static void recordError(Span span, Throwable error) {
		span.recordException(error);
		String message = error.getMessage();
		if (message != null) {
			span.setStatus(StatusCode.ERROR, message);
		}
		else {
			span.setStatus(StatusCode.ERROR);
		}
	}

	private static @Nullable Span span(TracedCall context) {
		TracingContext tracing = context.get(TracingContext.class);
		return (tracing instanceof TracedSpanContext traced) ? traced.span : null;
	}

	@Override
	public TracingContext getTracingContext(TracedCall context) {
		TracingContext tracing = context.get(TracingContext.class);
		return (tracing != null) ? tracing : context.computeIfAbsent(TracingContext.class, (key) -> new TracingContext());
	}

	@Override
	public Tracer getTracer() {
		return this.tracer;
	}

	/**
	 * The span of one {@code @Traced} call, as child observations and this handler see
	 * it. The Micrometer view of the span is made only when a child asks for it, and the
	 * scope opened on the calling thread, by far the most common, is kept in a field
	 * rather than in the per-thread map.
	 */
	static final class TracedSpanContext extends TracingContext implements StartedSpan {

		final Span span;

		final Context context;

		private final Thread owner = Thread.currentThread();

		private CurrentTraceContext.@Nullable Scope ownerScope;

		private volatile io.micrometer.tracing.@Nullable Span micrometerSpan;

		TracedSpanContext(Span span, Context context) {
			this.span = span;
			this.context = context;
		}

		@Override
		public boolean isRecording() {
			return this.span.isRecording();
		}

		@Override
		public SpanScope makeCurrent() {
			return this.context.makeCurrent()::close;
		}

		@Override
		public void end() {
			this.span.end();
		}

		@Override
		public io.micrometer.tracing.Span getSpan() {
			io.micrometer.tracing.Span micrometerSpan = this.micrometerSpan;
			if (micrometerSpan == null) {
				micrometerSpan = OtelSpan.fromOtel(this.span, this.context);
				this.micrometerSpan = micrometerSpan;
			}
			return micrometerSpan;
		}

		@Override
		public void setSpan(io.micrometer.tracing.@Nullable Span span) {
			// The span is this context's for its whole life.
		}

		@Override
		public CurrentTraceContext.@Nullable Scope getScope() {
			return (Thread.currentThread() == this.owner) ? this.ownerScope : super.getScope();
		}

		@Override
		public void setScope(CurrentTraceContext.@Nullable Scope scope) {
			if (Thread.currentThread() == this.owner) {
				this.ownerScope = scope;
			}
			else {
				super.setScope(scope);
			}
		}

	}

	/**
	 * The span made current on one thread; closing it restores what this observation had
	 * current on that thread before, so that scopes opened more than once unwind in
	 * order.
	 */
	private static final class TracedSpanScope implements CurrentTraceContext.Scope {

		private final TracedSpanContext tracing;

		private final CurrentTraceContext.Scope scope;

		private final CurrentTraceContext.@Nullable Scope previous;

		TracedSpanScope(TracedSpanContext tracing, CurrentTraceContext.Scope scope,
				CurrentTraceContext.@Nullable Scope previous) {
			this.tracing = tracing;
			this.scope = scope;
			this.previous = previous;
		}

		@Override
		public void close() {
			this.scope.close();
			this.tracing.setScope(this.previous);
		}

	}

}
