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

}
