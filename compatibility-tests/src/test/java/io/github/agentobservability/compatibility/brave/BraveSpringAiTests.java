package io.github.agentobservability.compatibility.brave;

import java.util.List;

import brave.handler.MutableSpan;
import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.compatibility.Apps;
import io.github.agentobservability.compatibility.OpenAiStub;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring AI under Brave, through its real OpenAI client: the model call is a Brave span
 * inside the agent run, with the starter's attributes as Brave tags.
 */
class BraveSpringAiTests {

	@Test
	void modelCallsAreBraveSpansInsideTheAgentRunWithTheStartersAttributes() throws Exception {
		try (OpenAiStub openAi = OpenAiStub.start()) {
			try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class),
					openAi.properties())) {
				assertThat(context.getBean(WeatherAgent.class).ask("Weather in Paris?")).isEqualTo(OpenAiStub.ANSWER);
				RecordingSpanHandler spans = context.getBean(RecordingSpanHandler.class);
				await().untilAsserted(() -> spans.named("chat gpt-4o-mini"));
				MutableSpan agent = spans.named("invoke_agent weather");
				MutableSpan chat = spans.named("chat gpt-4o-mini");
				assertThat(spans.descendsFrom(chat, agent)).as("the chat span is inside the agent run").isTrue();
				assertThat(chat.tag("gen_ai.provider.name")).isEqualTo("openai");
				assertThat(chat.tag("gen_ai.usage.input_tokens")).isEqualTo("12");
				assertThat(chat.tag("gen_ai.usage.output_tokens")).isEqualTo("3");
				assertThat(chat.tag("gen_ai.agent.name")).isEqualTo("weather");
				assertThat(chat.tag("gen_ai.usage.cost.amount")).isNotNull();
				assertThat(chat.tag("gen_ai.system")).as("deprecated").isNull();
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		WeatherAgent weatherAgent(ChatClient.Builder chatClient) {
			return new WeatherAgent(chatClient.build());
		}

		@Bean
		RecordingSpanHandler recordingSpanHandler() {
			return new RecordingSpanHandler();
		}

	}

	static class WeatherAgent {

		private final ChatClient chatClient;

		WeatherAgent(ChatClient chatClient) {
			this.chatClient = chatClient;
		}

		@Traced(agent = "weather")
		public String ask(String question) {
			return this.chatClient.prompt(question).call().content();
		}

	}

}
