package io.github.agentobservability.sample;

import io.github.agentobservability.export.AgentTracesEndpoint;
import io.github.agentobservability.export.RecentTraces;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the page at {@code /} needs besides {@code /api/ask}: a request's own trace, from
 * the starter's in-memory buffer of recent traces (no tracing backend needed), and where
 * Jaeger is, if anywhere. Serving the trace here keeps the Actuator exposure at
 * {@code health,prometheus}.
 */
@RestController
public class TraceController {

	private final @Nullable AgentTracesEndpoint traces;

	private final SampleProperties properties;

	/**
	 * Creates the controller.
	 * @param recentTraces the starter's buffer of recent traces, absent when the starter
	 * or its buffer is switched off
	 * @param properties the sample's settings
	 */
	public TraceController(ObjectProvider<RecentTraces> recentTraces, SampleProperties properties) {
		RecentTraces buffer = recentTraces.getIfAvailable();
		this.traces = (buffer != null) ? new AgentTracesEndpoint(buffer) : null;
		this.properties = properties;
	}

	@GetMapping("/api/traces/{traceId}")
	public ResponseEntity<AgentTracesEndpoint.TraceDescriptor> trace(@PathVariable String traceId) {
		AgentTracesEndpoint.TraceDescriptor trace = (this.traces != null) ? this.traces.trace(traceId) : null;
		return (trace != null) ? ResponseEntity.ok(trace) : ResponseEntity.notFound().build();
	}

	@GetMapping("/api/ui")
	public UiSettings ui() {
		return new UiSettings(this.properties.getJaegerUrl());
	}

	/**
	 * Settings of the page.
	 *
	 * @param jaegerUrl base URL of the Jaeger UI, or {@code null}
	 */
	public record UiSettings(@Nullable String jaegerUrl) {
	}

}
