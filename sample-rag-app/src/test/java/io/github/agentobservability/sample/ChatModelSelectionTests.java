package io.github.agentobservability.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offline by default, OpenAI when a key is set: {@link ChatModelSelection} and the beans
 * it leads to. The application contexts started here make no model call, so none of
 * them touches the network.
 */
class ChatModelSelectionTests {

	@Test
	@DisabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
	void withoutAKeyTheOnlyChatModelIsTheLocalOne() {
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().getProperty("spring.ai.model.chat")).isEqualTo("local");
			assertThat(context.getBean(ChatModel.class)).isInstanceOf(LocalExtractiveChatModel.class);
			assertThat(context.getBeanNamesForType(OpenAiChatModel.class)).isEmpty();
			assertThat(context.getBeanNamesForType(OpenAiEmbeddingModel.class)).isEmpty();
			assertThat(context.getBeanNamesForType(com.openai.client.OpenAIClient.class)).isEmpty();
		}
	}

	@Test
	void withAKeyPropertyTheChatModelIsOpenAi() {
		try (ConfigurableApplicationContext context = run("--spring.ai.openai.api-key=sk-test-not-used")) {
			assertThat(context.getEnvironment().getProperty("spring.ai.model.chat")).isEqualTo("openai");
			assertThat(context.getBean(ChatModel.class)).isInstanceOf(OpenAiChatModel.class);
			assertThat(context.getBeanNamesForType(LocalExtractiveChatModel.class)).isEmpty();
			assertThat(context.getBeanNamesForType(OpenAiEmbeddingModel.class)).isEmpty();
		}
	}

	@Test
	void anExplicitChoiceWinsOverTheKey() {
		try (ConfigurableApplicationContext context = run("--spring.ai.openai.api-key=sk-test-not-used",
				"--spring.ai.model.chat=local")) {
			assertThat(context.getBean(ChatModel.class)).isInstanceOf(LocalExtractiveChatModel.class);
		}
	}

	@Test
	void theEnvironmentVariableSelectsOpenAi() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MockPropertySource().withProperty("OPENAI_API_KEY", "sk-x"));
		new ChatModelSelection().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("openai");
	}

	@Test
	@DisabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
	void noKeySelectsLocal() {
		StandardEnvironment environment = new StandardEnvironment();
		new ChatModelSelection().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("local");
	}

	@Test
	@EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
	void aKeyInTheEnvironmentSelectsOpenAi() {
		StandardEnvironment environment = new StandardEnvironment();
		new ChatModelSelection().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("openai");
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(SampleRagApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 2];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--agent.observability.exporters.console.enabled=false";
		all[args.length + 1] = "--agent.observability.exporters.jsonl.enabled=false";
		return application.run(all);
	}

}
