package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What {@code @Traced} reflects on in a native image, beyond the proxies that Spring's AOT
 * infers and the classes of traced beans that the starter's
 * {@code BeanRegistrationAotProcessor} registers: the attribute methods of
 * {@link Traced} and {@link SpanAttribute}, which Spring's annotation support reads
 * reflectively, and Reactor's {@code Mono}, which is looked up by name to tell whether
 * a traced method can return a reactive result.
 */
class TracedRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(Traced.class, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(SpanAttribute.class, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerTypeIfPresent(classLoader, "reactor.core.publisher.Mono");
	}

}
