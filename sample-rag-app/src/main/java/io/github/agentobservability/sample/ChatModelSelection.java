package io.github.agentobservability.sample;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Picks the chat model when {@code spring.ai.model.chat} is not set: {@code openai} when
 * an OpenAI key is configured ({@code spring.ai.openai.api-key} or the
 * {@code OPENAI_API_KEY} environment variable), {@code local} otherwise. Spring AI's
 * OpenAI chat auto-configuration is active only for {@code openai}, and the sample's
 * {@link LocalExtractiveChatModel} only for {@code local}, so without a key the
 * application starts and answers with no network at all.
 * <p>
 * The choice is added as the property source of lowest precedence: setting
 * {@code spring.ai.model.chat} anywhere (application.yml, environment, command line)
 * wins.
 */
public class ChatModelSelection implements EnvironmentPostProcessor, Ordered {

	static final String CHAT_MODEL_PROPERTY = "spring.ai.model.chat";

	static final String LOCAL = "local";

	static final String OPENAI = "openai";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(CHAT_MODEL_PROPERTY)) {
			return;
		}
		boolean keySet = StringUtils.hasText(environment.getProperty("spring.ai.openai.api-key"))
				|| StringUtils.hasText(environment.getProperty("OPENAI_API_KEY"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("sampleChatModelSelection",
					Map.of(CHAT_MODEL_PROPERTY, keySet ? OPENAI : LOCAL)));
	}

	@Override
	public int getOrder() {
		// After application.yml has been read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
