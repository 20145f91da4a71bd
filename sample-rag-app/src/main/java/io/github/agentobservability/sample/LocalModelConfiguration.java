package io.github.agentobservability.sample;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The local model, when {@code spring.ai.model.chat=local} (the default without an
 * OpenAI key, see {@link ChatModelSelection}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ChatModelSelection.CHAT_MODEL_PROPERTY, havingValue = ChatModelSelection.LOCAL)
class LocalModelConfiguration {

	@Bean
	LocalExtractiveChatModel localExtractiveChatModel(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ChatModelObservationConvention> observationConvention, SampleProperties properties) {
		LocalExtractiveChatModel model = new LocalExtractiveChatModel(
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), properties.getChaos().isEnabled(),
				Duration.ofMillis(15));
		observationConvention.ifAvailable(model::setObservationConvention);
		return model;
	}

}
