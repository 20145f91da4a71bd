package io.github.agentobservability.ai.internal;

import io.github.agentobservability.tracing.internal.AgentRuns;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The conversation a Spring AI observation belongs to ({@code gen_ai.conversation.id}):
 * the one its ChatClient call names through chat memory, else the one its agent run
 * names, found up the observation's parents, so that the model calls, tool calls and
 * advisors of a call, streamed ones included, carry the same id as the run.
 */
final class Conversations {

	private static final boolean CHAT_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.ai.chat.client.observation.ChatClientObservationContext",
			Conversations.class.getClassLoader());

	private Conversations() {
	}

	/**
	 * Returns the conversation an observation belongs to.
	 * @param context the observation's context
	 * @return the conversation id, or {@code null} when nothing names one
	 */
	static @Nullable String of(Observation.ContextView context) {
		return AgentRuns.firstUp(context, Conversations::own);
	}

	private static @Nullable String own(Observation.ContextView context) {
		String id = (CHAT_CLIENT_PRESENT) ? ChatClientObservations.conversationId(context) : null;
		if (id == null && context instanceof TracedCall call && call.getTracedMethod().getAgentName() != null) {
			id = call.getConversationId();
		}
		return id;
	}

	/**
	 * Notes on the enclosing agent run the conversation a ChatClient call names, for the
	 * run's span.
	 * @param chatClient a ChatClient observation's context
	 */
	static void noteOnRun(Observation.Context chatClient) {
		if (!CHAT_CLIENT_PRESENT) {
			return;
		}
		String id = ChatClientObservations.conversationId(chatClient);
		TracedCall run = (id != null) ? AgentRuns.enclosingRun(chatClient) : null;
		if (run != null) {
			run.conversation(id);
		}
	}

}
