package io.github.agentobservability.tracing;

import io.github.agentobservability.tracing.internal.InstrumentationFailureLog;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.github.agentobservability.tracing.internal.TypedAttributes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The span of the {@code @Traced} method being executed, for code inside it: the Java form
 * of the tutorial's {@code span.set_attribute("retrieval.doc_count", len(docs))}.
 * <pre class="code">
 * &#64;Traced("retrieval")
 * List&lt;Passage&gt; retrieve(String query) {
 *     List&lt;Passage&gt; passages = index.search(query);
 *     CurrentSpan.setAttribute("retrieval.doc_count", passages.size());
 *     return passages;
 * }
 * </pre>
 * Numbers stay numbers and booleans booleans on every exporter. Inside a {@code @Traced}
 * method, what is set here wins over the starter's own attributes of the same name (with
 * OpenTelemetry; with Brave, whose tags are strings, Boot's handler writes the starter's
 * last), and
 * {@link #markError(String)} makes the call's outcome an error without throwing. Called
 * under any other observation (a Spring MVC request, a Spring AI call), it acts on the
 * current span. When the call is not sampled, or tracing is off, every method does
 * nothing, at the cost of reading what is current on the thread.
 * <p>
 * Works with OpenTelemetry and with Brave (through Micrometer's {@link Tracer}); the
 * starter's auto-configuration binds it to the application's observation registry and
 * tracer. Never throws: a failure is logged once and the call goes on.
 */
public final class CurrentSpan {

	private static final boolean OTEL_BRIDGE_PRESENT = ClassUtils
		.isPresent("io.micrometer.tracing.otel.bridge.OtelTracer", CurrentSpan.class.getClassLoader());

	private static final boolean OTEL_PRESENT = ClassUtils.isPresent("io.opentelemetry.api.trace.Span",
			CurrentSpan.class.getClassLoader());

	private static final InstrumentationFailureLog failures = new InstrumentationFailureLog(
			org.apache.commons.logging.LogFactory.getLog(CurrentSpan.class));

	private static volatile @Nullable Binding binding;

	private CurrentSpan() {
	}

	/**
	 * Sets a string attribute.
	 * @param key the attribute key
	 * @param value the value
	 */
	public static void setAttribute(String key, String value) {
		set(key, value);
	}

	/**
	 * Sets a long attribute (whole numbers of every size).
	 * @param key the attribute key
	 * @param value the value
	 */
	public static void setAttribute(String key, long value) {
		set(key, value);
	}

	/**
	 * Sets a double attribute.
	 * @param key the attribute key
	 * @param value the value
	 */
	public static void setAttribute(String key, double value) {
		set(key, value);
	}

	/**
	 * Sets a boolean attribute.
	 * @param key the attribute key
	 * @param value the value
	 */
	public static void setAttribute(String key, boolean value) {
		set(key, value);
	}

	/**
	 * Adds an event, now.
	 * @param name the event name
	 */
	public static void addEvent(String name) {
		try {
			if (OTEL_PRESENT && OpenTelemetrySpans.addEvent(name)) {
				return;
			}
			Span span = micrometerSpan();
			if (span != null) {
				span.event(name);
			}
		}
		catch (RuntimeException ex) {
			failures.log("adding an event to the current span", ex);
		}
	}

	/**
	 * Records an exception as an event of the span, without failing the call: a
	 * recovered failure, for example.
	 * @param exception the exception
	 */
	public static void recordException(Throwable exception) {
		try {
			if (OTEL_PRESENT && OpenTelemetrySpans.recordException(exception)) {
				return;
			}
			Span span = micrometerSpan();
			if (span != null) {
				span.event("exception: " + exception.getClass().getName());
			}
		}
		catch (RuntimeException ex) {
			failures.log("recording an exception on the current span", ex);
		}
	}

	/**
	 * Marks the outcome of the current {@code @Traced} call as an error, with a message,
	 * without throwing: its span ends with status ERROR and {@code status=error}.
	 * @param message what went wrong
	 */
	public static void markError(String message) {
		try {
			TracedCall traced = currentTraced();
			if (traced != null) {
				traced.markError(message);
			}
			else if (OTEL_PRESENT) {
				OpenTelemetrySpans.markError(message);
			}
		}
		catch (RuntimeException ex) {
			failures.log("marking the current span as an error", ex);
		}
	}

	private static void set(String key, Object value) {
		try {
			if (OTEL_PRESENT && !OpenTelemetrySpans.currentIsRecordingOrAbsent()) {
				return;
			}
			TracedCall traced = currentTracedWithOwnHandler();
			if (traced != null) {
				traced.setUserAttribute(key, value);
			}
			else if (!OTEL_PRESENT || !OpenTelemetrySpans.setAttribute(key, value)) {
				Span span = micrometerSpan();
				if (span != null) {
					span.tag(key, String.valueOf(value));
				}
			}
		}
		catch (RuntimeException ex) {
			failures.log("setting an attribute on the current span", ex);
		}
	}

	/**
	 * The context of the current observation if it is a {@code @Traced} call's.
	 */
	private static @Nullable TracedCall currentTraced() {
		Binding current = binding;
		Observation observation = (current != null) ? current.registry.getCurrentObservation() : null;
		return (observation != null && observation.getContext() instanceof TracedCall traced) ? traced
				: null;
	}

	/**
	 * The current {@code @Traced} call's context when the starter's own tracing handler
	 * makes its span (OpenTelemetry), which writes the attributes kept there last, so that
	 * they win over its own. With another tracer (Brave), attributes go straight to the
	 * current span.
	 */
	private static @Nullable TracedCall currentTracedWithOwnHandler() {
		Binding current = binding;
		return (current != null && current.ownTracingHandler()) ? currentTraced() : null;
	}

	private static @Nullable Span micrometerSpan() {
		Binding current = binding;
		return (current != null && current.tracer != null) ? current.tracer.currentSpan() : null;
	}

	/**
	 * Binds the span API to an application's registry and tracer; the auto-configuration
	 * calls this at startup and {@link #unbind(Object)} at shutdown.
	 * @param registry the application's observation registry
	 * @param tracer the application's tracer, or {@code null} without tracing
	 * @return the binding, to unbind
	 */
	public static Object bind(ObservationRegistry registry, @Nullable Tracer tracer) {
		Binding newBinding = new Binding(registry, tracer);
		binding = newBinding;
		return newBinding;
	}

	/**
	 * Unbinds, if the binding is still the current one.
	 * @param bound what {@link #bind} returned
	 */
	public static void unbind(Object bound) {
		if (binding == bound) {
			binding = null;
		}
	}

	private record Binding(ObservationRegistry registry, @Nullable Tracer tracer) {

		boolean ownTracingHandler() {
			return this.tracer != null && OTEL_BRIDGE_PRESENT && this.tracer instanceof OtelTracer;
		}

	}

	/**
	 * The current OpenTelemetry span; loaded only when the OpenTelemetry API is present.
	 */
	private static final class OpenTelemetrySpans {

		/**
		 * Whether the current span records, or there is no OpenTelemetry span at all
		 * (another tracer): a span that the sampler dropped takes nothing.
		 */
		static boolean currentIsRecordingOrAbsent() {
			io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.current();
			return span.isRecording() || !span.getSpanContext().isValid();
		}

		static boolean setAttribute(String key, Object value) {
			io.opentelemetry.api.trace.Span span = recording();
			if (span == null) {
				return false;
			}
			TypedAttributes.set(span, key, value);
			return true;
		}

		static boolean addEvent(String name) {
			io.opentelemetry.api.trace.Span span = recording();
			if (span != null) {
				span.addEvent(name);
			}
			return span != null;
		}

		static boolean recordException(Throwable exception) {
			io.opentelemetry.api.trace.Span span = recording();
			if (span != null) {
				span.recordException(exception);
			}
			return span != null;
		}

		static void markError(String message) {
			io.opentelemetry.api.trace.Span span = recording();
			if (span != null) {
				span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, message);
			}
		}

		private static io.opentelemetry.api.trace.@Nullable Span recording() {
			io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.current();
			return span.isRecording() ? span : null;
		}

	}

}
