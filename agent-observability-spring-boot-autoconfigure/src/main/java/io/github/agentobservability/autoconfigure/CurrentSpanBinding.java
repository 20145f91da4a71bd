package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.tracing.CurrentSpan;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds {@link CurrentSpan} to the application's observation registry and tracer once
 * every singleton exists, and unbinds it when the context closes, unless another
 * application context bound it since.
 */
final class CurrentSpanBinding implements SmartInitializingSingleton, DisposableBean {

	private final ObjectProvider<ObservationRegistry> registry;

	private final ObjectProvider<Tracer> tracer;

	private @Nullable Object bound;

	CurrentSpanBinding(ObjectProvider<ObservationRegistry> registry, ObjectProvider<Tracer> tracer) {
		this.registry = registry;
		this.tracer = tracer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ObservationRegistry observationRegistry = this.registry.getIfUnique();
		if (observationRegistry != null) {
			this.bound = CurrentSpan.bind(observationRegistry, this.tracer.getIfUnique());
		}
	}

	@Override
	public void destroy() {
		if (this.bound != null) {
			CurrentSpan.unbind(this.bound);
		}
	}

}
