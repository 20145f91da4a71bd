package io.github.agentobservability.tracing.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * The failure an application would name: asynchronous results and streamed model calls
 * fail with the real exception wrapped in a {@link CompletionException}, which says
 * nothing about what went wrong.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Returns the exception inside {@link CompletionException} and
	 * {@link ExecutionException} wrappers.
	 * @param error the failure, or {@code null}
	 * @return the innermost wrapped failure, or {@code error} itself
	 */
	public static @Nullable Throwable unwrap(@Nullable Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
