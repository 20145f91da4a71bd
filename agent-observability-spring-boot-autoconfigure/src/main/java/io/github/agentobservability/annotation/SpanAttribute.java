package io.github.agentobservability.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Copies an argument of a {@link Traced} method to an attribute of its span, as
 * {@code String.valueOf(argument)}. A {@code null} argument adds no attribute. On a
 * parameter of an interface or superclass method, it applies to the implementations.
 * <p>
 * Span attributes are not metric tags, so an argument may be high-cardinality (a query, a
 * document id). It must not be secret: it is exported as is.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SpanAttribute {

	/**
	 * Attribute key. Defaults to the parameter name (requires compiling with
	 * {@code -parameters}, as Spring Boot's build plugins do).
	 * @return the attribute key
	 */
	String value() default "";

}
