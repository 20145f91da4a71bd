package io.github.agentobservability.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Traces a method, or every method of a type, as one span nested in whatever is current
 * (an HTTP request, an agent run, another traced method).
 * <p>
 * This is the Java form of the tutorial's {@code @traced} decorator: the span ends with
 * status OK when the method returns, and with status ERROR, {@code error.type} and an
 * exception event when it throws; the exception reaches the caller unchanged.
 * {@code CompletionStage}, {@code Mono} and {@code Flux} results end the span when they
 * complete, fail or are cancelled.
 * <pre class="code">
 * &#64;Traced(value = "document_retrieval", attributes = "component=rag")
 * List&lt;Document&gt; retrieve(&#64;SpanAttribute("retrieval.query") String query) { ... }
 * </pre>
 * On a type, it covers the methods the type declares and those it inherits, named and
 * attributed after the class the bean is, but not {@code toString}, {@code equals},
 * {@code hashCode} and the other methods of {@code Object}, which logging and collections
 * call. On an interface or superclass method, it applies to the implementations.
 *
 * @see SpanAttribute
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Traced {

	/**
	 * Name of the span. Defaults to the method name. On a type, a non-empty value
	 * prefixes the method name as {@code value.method}.
	 * @return the span name
	 */
	String value() default "";

	/**
	 * Constant attributes of the span, each {@code "key=value"}. On a type they apply to
	 * every method; a method's own attributes win for the same key. A malformed pair
	 * fails application startup.
	 * @return the attributes
	 */
	String[] attributes() default {};

	/**
	 * Marks the method as the entry point of an agent run with this agent name. The span
	 * is then named {@code invoke_agent {agent}} and carries
	 * {@code gen_ai.operation.name=invoke_agent} and {@code gen_ai.agent.name}; model
	 * calls, tokens, cost and tool calls inside it are attributed to the agent in metrics.
	 * Agent names become metric tags, so keep them few and fixed. A conversation id can
	 * be attached with {@code @SpanAttribute("gen_ai.conversation.id")} on a parameter.
	 * @return the agent name, empty when the method is not an agent entry point
	 */
	String agent() default "";

	/**
	 * Kind of the span: {@link Kind#INTERNAL INTERNAL} for work inside the application,
	 * {@link Kind#CLIENT CLIENT} for a method that wraps a call to another service (or
	 * that the GenAI conventions define as a client operation, such as a retrieval).
	 * Applies with OpenTelemetry; with Brave the span keeps Boot's kind.
	 * @return the span kind
	 */
	Kind kind() default Kind.INTERNAL;

	/**
	 * The span kinds of OpenTelemetry, named here so that annotated code needs no
	 * tracing library.
	 */
	enum Kind {

		/** Work inside the application. */
		INTERNAL,

		/** A call to a remote service, made by this application. */
		CLIENT,

		/** A call from a remote client, handled by this application. */
		SERVER,

		/** A message sent to a broker. */
		PRODUCER,

		/** A message received from a broker. */
		CONSUMER

	}

}
