package io.github.agentobservability.tracing.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.github.agentobservability.annotation.Traced;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the {@link Traced} annotations of every bean as it is created, so that a
 * malformed attribute fails application startup, naming the method, instead of the
 * first call.
 * <p>
 * It validates the methods that {@link TracedAdvisor}'s pointcut matches for the bean's
 * class, inherited ones included, as the interceptor will read them: a proxy can call
 * neither private nor static methods, so those are left out.
 * <p>
 * Reading every annotation at startup, it also knows the agents
 * ({@code @Traced(agent = ...)}) before they run, and tells them to whoever asks
 * ({@link #onAgentDeclared(Consumer)}): the agent meters exist at zero from startup.
 */
public class TracedMethodValidator implements BeanPostProcessor {

	private final Pointcut pointcut = TracedAdvisor.pointcut();

	private final Set<String> agents = new LinkedHashSet<>();

	private final List<Consumer<String>> agentListeners = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
		ClassFilter classFilter = this.pointcut.getClassFilter();
		if (!classFilter.matches(type)) {
			return bean;
		}
		MethodMatcher methodMatcher = this.pointcut.getMethodMatcher();
		Set<String> agents = new LinkedHashSet<>();
		try {
			ReflectionUtils.doWithMethods(type, (method) -> {
				String agent = TracedMethod.of(method, type).getAgentName();
				if (agent != null) {
					agents.add(agent);
				}
			}, (method) -> isProxiable(method) && methodMatcher.matches(method, type));
		}
		catch (IllegalStateException ex) {
			throw new BeanCreationException(beanName, ex.getMessage(), ex);
		}
		agents.forEach(this::declared);
		return bean;
	}

	/**
	 * Calls the given listener with the name of every agent that a {@code @Traced} method
	 * declares, once per name: at once for the beans validated so far, then as further
	 * beans are.
	 * @param listener the listener
	 */
	public void onAgentDeclared(Consumer<String> listener) {
		List<String> known;
		synchronized (this) {
			this.agentListeners.add(listener);
			known = List.copyOf(this.agents);
		}
		known.forEach(listener);
	}

	private void declared(String agent) {
		List<Consumer<String>> listeners;
		synchronized (this) {
			if (!this.agents.add(agent)) {
				return;
			}
			listeners = List.copyOf(this.agentListeners);
		}
		listeners.forEach((listener) -> listener.accept(agent));
	}

	private static boolean isProxiable(Method method) {
		int modifiers = method.getModifiers();
		return !method.isBridge() && !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers);
	}

}
