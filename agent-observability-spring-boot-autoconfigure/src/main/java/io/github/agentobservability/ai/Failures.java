package io.github.agentobservability.ai;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * The failure an application would name: streamed calls fail with the provider's
 * exception wrapped in a {@link CompletionException}, which says nothing about what went
 * wrong.
 */
final class Failures {

	private Failures() {
	}

	static @Nullable Throwable unwrap(@Nullable Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
