package io.github.agentobservability.ai.internal;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/**
 * Records a failed tool execution on the tool's observation before Spring AI turns the
 * exception into a message for the model.
 * <p>
 * Spring AI catches a tool's exception inside the tool observation and hands it to the
 * {@link ToolExecutionExceptionProcessor}, so the observation would end successfully and
 * the span, {@code error.type} and the tool error metrics would never see the failure.
 * The processor runs while the tool observation is current, which is where this records
 * the tool's own exception; then the application's processor decides what the model
 * sees, as before.
 */
public final class ToolErrorRecorder implements ToolExecutionExceptionProcessor {

	private final ToolExecutionExceptionProcessor delegate;

	private final Supplier<ObservationRegistry> registry;

	public ToolErrorRecorder(ToolExecutionExceptionProcessor delegate, Supplier<ObservationRegistry> registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public String process(ToolExecutionException exception) {
		Observation current = this.registry.get().getCurrentObservation();
		if (current != null && current.getContext() instanceof ToolCallingObservationContext) {
			current.error((exception.getCause() != null) ? exception.getCause() : exception);
		}
		return this.delegate.process(exception);
	}

}
