package io.github.agentobservability.ai.internal;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.memory.ChatMemory;

/**
 * Recognizes ChatClient observations, its advisors' included; only loaded when Spring AI's
 * ChatClient is present.
 */
final class ChatClientObservations {

	private static final java.util.regex.Pattern STRAY_SPACES = java.util.regex.Pattern.compile("\\s*_\\s*");

	private static final String SPRING_AI_PREFIX = "spring_ai ";

	private ChatClientObservations() {
	}

	static boolean isChatClient(Observation.Context context) {
		return context instanceof ChatClientObservationContext || context instanceof AdvisorObservationContext;
	}

	/**
	 * Whether the observation is the given advisor's.
	 */
	static boolean isAdvisor(Observation.Context context, String advisorName) {
		return context instanceof AdvisorObservationContext advisor && advisorName.equals(advisor.getAdvisorName());
	}

	/**
	 * The conversation a ChatClient call names through chat memory
	 * ({@code ChatMemory.CONVERSATION_ID} among its advisor parameters).
	 * @param context a ChatClient or advisor observation's context
	 * @return the conversation id, or {@code null}
	 */
	static @Nullable String conversationId(Observation.ContextView context) {
		ChatClientRequest request = (context instanceof ChatClientObservationContext chatClient)
				? chatClient.getRequest()
				: (context instanceof AdvisorObservationContext advisor) ? advisor.getChatClientRequest() : null;
		Object id = (request != null) ? request.context().get(ChatMemory.CONVERSATION_ID) : null;
		return (id != null) ? id.toString() : null;
	}

	/**
	 * The name of a ChatClient or advisor span as it reads in a tree: Spring AI's own
	 * without its {@code spring_ai} prefix and the spaces it leaves around underscores
	 * ({@code spring_ai chat_client} is {@code chat_client}, {@code tool _calling } is
	 * {@code tool_calling}).
	 */
	static String spanName(String name) {
		String clean = STRAY_SPACES.matcher(name.strip()).replaceAll("_");
		return clean.startsWith(SPRING_AI_PREFIX) ? clean.substring(SPRING_AI_PREFIX.length()) : clean;
	}

}
