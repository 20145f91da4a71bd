package io.github.agentobservability.ai.internal;

import io.micrometer.observation.Observation;

import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;

/**
 * Recognizes ChatClient observations, its advisors' included; only loaded when Spring AI's
 * ChatClient is present.
 */
final class ChatClientObservations {

	private ChatClientObservations() {
	}

	static boolean isChatClient(Observation.Context context) {
		return context instanceof ChatClientObservationContext || context instanceof AdvisorObservationContext;
	}

}
