package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.annotation.Traced;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.util.ClassUtils;

/**
 * Registers, ahead of time, the reflection that a native image needs for each bean that
 * {@link Traced} applies to. The pointcut, the validator and the interceptor read the
 * annotations of the bean's class, of its superclasses and interfaces, and of their
 * methods and parameters, and an interface-based proxy calls the interface's methods
 * reflectively. Spring's AOT registers the proxy, and the bean's own class when the
 * proxy is class-based, but not the types the bean inherits from.
 */
class TracedBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	private final Pointcut pointcut = TracedAdvisor.pointcut();

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = registeredBean.getBeanClass();
		if (!AopUtils.canApply(this.pointcut, beanClass)) {
			return null;
		}
		return (generationContext, code) -> registerHints(generationContext.getRuntimeHints().reflection(),
				beanClass);
	}

	private static void registerHints(ReflectionHints hints, Class<?> beanClass) {
		for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
			hints.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.INVOKE_DECLARED_METHODS);
		}
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
			hints.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}
