package io.github.agentobservability.ai.internal;

import java.util.function.Supplier;

import io.github.agentobservability.tracing.internal.AgentRunTotals;
import io.github.agentobservability.tracing.internal.InstrumentationFailureLog;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.util.ClassUtils;

/**
 * Traces Spring AI's chat, embedding, tool, ChatClient and vector store observations in
 * place of Spring Boot's default tracing handler, so that their one span comes out
 * enriched: typed token counts and cost instead of strings, the current GenAI attribute
 * names, the enclosing agent, and a parent for streams that Spring AI starts without one.
 * <p>
 * It is ordered just before Boot's default tracing handler, which only ever sees the
 * other observations. It creates and ends spans exactly as Boot's handler does, and adds
 * its attributes between tagging and ending the span: after a span has ended, attributes
 * can no longer be set, and a typed attribute set next to Spring AI's string of the same
 * name would leave two attributes that exporters collapse unpredictably. The span is ended
 * with the OpenTelemetry API, its status left UNSET on success as the specification asks
 * of instrumentation (a status the application set is kept) and ERROR on failure;
 * Micrometer's bridge would copy the whole span to look for a status, and set OK.
 * <p>
 * Spring AI's ChatClient and advisor observations are folded by default: they get no span
 * of their own, their tracing context holds their parent's span, so that the model calls,
 * tool calls and retrievals under them are children of the application's span and a
 * trace reads like the agent's work rather than Spring AI's call stack. Their
 * observations, and so their meters and their place in the observation hierarchy, stay
 * as they are. With {@code agent.observability.ai.framework-spans=true} they are spans
 * again, named {@code chat_client} and after the advisor; the starter's own advisor is
 * always folded.
 * <p>
 * With a tracer other than OpenTelemetry's (Brave), the span is Micrometer's: Spring AI's
 * key values are tagged and the span ended as Boot's handler does, and the starter's
 * attributes are written through Micrometer's typed tag methods
 * ({@link MicrometerSpanAttributes}).
 */
public class GenAiTracingObservationHandler implements TracingObservationHandler<Observation.Context> {

	private static final Log logger = LogFactory.getLog(GenAiTracingObservationHandler.class);

	private static final boolean CHAT_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.ai.chat.client.observation.ChatClientObservationContext",
			GenAiTracingObservationHandler.class.getClassLoader());

	private static final String SPRING_AI_EMBEDDING_PREFIX = "embedding ";

	private static final io.opentelemetry.api.common.AttributeKey<String> CONVERSATION_ID = io.opentelemetry.api.common.AttributeKey
		.stringKey(TracedCall.CONVERSATION_ID);

	private static final boolean OTEL_BRIDGE_PRESENT = ClassUtils.isPresent(
			"io.micrometer.tracing.otel.bridge.OtelSpan", GenAiTracingObservationHandler.class.getClassLoader());

	private static final boolean VECTOR_STORE_PRESENT = ClassUtils.isPresent(
			"org.springframework.ai.vectorstore.observation.VectorStoreObservationContext",
			GenAiTracingObservationHandler.class.getClassLoader());

	private final Tracer tracer;

	private final GenAiSpanAttributes attributes;

	private final Supplier<ObservationRegistry> registry;

	private final StreamingChats streamingChats;

	private final boolean frameworkSpans;

	private final InstrumentationFailureLog failures = new InstrumentationFailureLog(logger);

	/**
	 * Creates the handler.
	 * @param tracer Micrometer's tracer
	 * @param attributes writes the typed attributes
	 * @param registry the observation registry, looked up lazily: the registry is
	 * configured with this handler
	 * @param streamingChats where streamed calls in progress are registered for
	 * {@link FirstChunkAdvisor} and their HTTP requests
	 * @param frameworkSpans whether ChatClient and advisor observations get spans of
	 * their own
	 */
	public GenAiTracingObservationHandler(Tracer tracer, GenAiSpanAttributes attributes,
			Supplier<ObservationRegistry> registry, StreamingChats streamingChats, boolean frameworkSpans) {
		this.tracer = tracer;
		this.attributes = attributes;
		this.registry = registry;
		this.streamingChats = streamingChats;
		this.frameworkSpans = frameworkSpans;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext
				|| context instanceof ToolCallingObservationContext
				|| (CHAT_CLIENT_PRESENT && ChatClientObservations.isChatClient(context))
				|| (VECTOR_STORE_PRESENT && VectorStoreObservations.isVectorStore(context));
	}

	@Override
	public void onStart(Observation.Context context) {
		try {
			adoptCurrentObservationAsParent(context);
			if (CHAT_CLIENT_PRESENT && ChatClientObservations.isChatClient(context)) {
				Conversations.noteOnRun(context);
			}
			if (context instanceof ChatModelObservationContext chat) {
				AgentRunTotals.modelCallStarted(chat);
				if (chat.isStreaming()) {
					chat.put(StreamTiming.class, new StreamTiming(System.nanoTime()));
					this.streamingChats.started(chat);
				}
			}
		}
		catch (RuntimeException ex) {
			this.failures.log("preparing a Spring AI span", ex);
		}
		// The parent first: Micrometer reads a tracing context already in the observation
		// as one the application made by hand, and would not look at the parent observation.
		Span parent = getParentSpan(context);
		if (folded(context)) {
			getTracingContext(context).setSpan(parent);
			return;
		}
		Span span = startSpan(context, parent);
		getTracingContext(context).setSpan(span);
	}

	/**
	 * Whether the observation gets no span of its own: a ChatClient or advisor one, unless
	 * framework spans are kept, and always the starter's own advisor.
	 */
	private boolean folded(Observation.Context context) {
		return CHAT_CLIENT_PRESENT && ChatClientObservations.isChatClient(context) && (!this.frameworkSpans
				|| ChatClientObservations.isAdvisor(context, FirstChunkAdvisor.NAME));
	}

	@Override
	public void onError(Observation.Context context) {
		if (!folded(context)) {
			TracingObservationHandler.super.onError(context);
		}
	}

	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		if (!folded(context)) {
			TracingObservationHandler.super.onEvent(event, context);
		}
	}

	/**
	 * Starts the span: a model call or a vector store query is a
	 * {@link Span.Kind#CLIENT CLIENT} span, as the conventions' inference, embeddings and
	 * retrieval spans are; the rest are internal.
	 */
	private Span startSpan(Observation.Context context, @Nullable Span parent) {
		if (context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext
				|| (VECTOR_STORE_PRESENT && VectorStoreObservations.isQuery(context))) {
			Span.Builder builder = this.tracer.spanBuilder().kind(Span.Kind.CLIENT);
			if (parent != null) {
				builder.setParent(parent.context());
			}
			return builder.start();
		}
		Span span = (parent != null) ? this.tracer.nextSpan(parent) : this.tracer.nextSpan();
		return span.start();
	}

	/**
	 * Spring AI starts the observation of a stream with the parent it finds in the Reactor
	 * context, or none: without automatic context propagation the stream's spans would
	 * start a trace of their own. The observation current on the subscribing thread is the
	 * right parent then.
	 */
	private void adoptCurrentObservationAsParent(Observation.Context context) {
		if (context.getParentObservation() != null) {
			return;
		}
		Observation current = this.registry.get().getCurrentObservation();
		if (current != null && current.getContext() != context) {
			context.setParentObservation(current);
		}
	}

	@Override
	public void onStop(Observation.Context context) {
		try {
			stop(context);
		}
		finally {
			if (context instanceof ChatModelObservationContext chat) {
				AgentRunTotals.modelCallEnded(chat);
			}
		}
	}

	private void stop(Observation.Context context) {
		if (context instanceof ChatModelObservationContext chat && chat.isStreaming()) {
			this.streamingChats.stopped(chat);
		}
		if (folded(context)) {
			// The span is the parent's, which its own observation ends
			return;
		}
		Span span = getRequiredSpan(context);
		span.name(spanName(context));
		io.opentelemetry.api.trace.Span otelSpan = OTEL_BRIDGE_PRESENT ? OtelSpans.toOtel(span) : null;
		try {
			io.opentelemetry.api.trace.Span attributes = (otelSpan != null) ? otelSpan
					: new MicrometerSpanAttributes(span);
			this.attributes.springAi(context, attributes);
			enrich(context, attributes);
			String conversation = Conversations.of(context);
			if (conversation != null) {
				attributes.setAttribute(CONVERSATION_ID, conversation);
			}
		}
		catch (RuntimeException ex) {
			this.failures.log("adding GenAI attributes to a span", ex);
		}
		if (otelSpan != null) {
			otelSpan.end();
		}
		else {
			endSpan(context, span);
		}
	}

	/**
	 * The span name, with the conventions' names of the embeddings and retrieval
	 * operations.
	 */
	private String spanName(Observation.Context context) {
		if (VECTOR_STORE_PRESENT && VectorStoreObservations.isQuery(context)) {
			return VectorStoreObservations.querySpanName(context);
		}
		String name = getSpanName(context);
		if (CHAT_CLIENT_PRESENT && ChatClientObservations.isChatClient(context)) {
			return ChatClientObservations.spanName(name);
		}
		if (context instanceof EmbeddingModelObservationContext && name.startsWith(SPRING_AI_EMBEDDING_PREFIX)) {
			return SpringAiKeyValues.EMBEDDINGS + name.substring(SPRING_AI_EMBEDDING_PREFIX.length() - 1);
		}
		return name;
	}

	private void enrich(Observation.Context context, io.opentelemetry.api.trace.Span span) {
		if (context instanceof ChatModelObservationContext chat) {
			this.attributes.chat(chat, span);
		}
		else if (context instanceof EmbeddingModelObservationContext embedding) {
			this.attributes.embedding(embedding, span);
		}
		else if (context instanceof ToolCallingObservationContext tool) {
			this.attributes.tool(tool, span);
		}
		else if (VECTOR_STORE_PRESENT && VectorStoreObservations.isVectorStore(context)) {
			VectorStoreObservations.enrich(context, span);
			this.attributes.common(context, span);
		}
		else {
			this.attributes.common(context, span);
		}
	}

	@Override
	public Tracer getTracer() {
		return this.tracer;
	}

	/**
	 * The OpenTelemetry span behind Micrometer's, when Micrometer Tracing's OpenTelemetry
	 * bridge is present; loaded only then.
	 */
	private static final class OtelSpans {

		static io.opentelemetry.api.trace.@Nullable Span toOtel(Span span) {
			return (span instanceof OtelSpan) ? OtelSpan.toOtel(span) : null;
		}

	}

}
