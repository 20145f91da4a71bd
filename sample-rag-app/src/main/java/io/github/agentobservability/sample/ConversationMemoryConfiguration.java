package io.github.agentobservability.sample;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's chat memory: a window of each conversation's latest messages
 * ({@code sample.conversations.max-messages}) over Spring AI's auto-configured
 * repository, an {@code InMemoryChatMemoryRepository}, so conversations last until the
 * application stops. An application that keeps them across restarts or instances puts a
 * JDBC or Redis repository there instead.
 */
@Configuration(proxyBeanMethods = false)
class ConversationMemoryConfiguration {

	@Bean
	ChatMemory sampleChatMemory(ChatMemoryRepository repository, SampleProperties properties) {
		return MessageWindowChatMemory.builder()
			.chatMemoryRepository(repository)
			.maxMessages(properties.getConversations().getMaxMessages())
			.build();
	}

}
