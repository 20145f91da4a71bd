package io.github.agentobservability.ai.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelNames}.
 */
class ModelNamesTests {

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini-2024-07-18, gpt-4o-mini", "GPT-4o-Mini, gpt-4o-mini", "openai/gpt-4o-mini, gpt-4o-mini",
			"models/gemini-2.0-flash-exp, gemini-2.0-flash", "claude-3-5-sonnet-20241022, claude-3-5-sonnet",
			"claude-3-5-sonnet@20240620, claude-3-5-sonnet", "mistral-large-2411-latest, mistral-large",
			"' gpt-4o ', gpt-4o", "local-extractive-1, local-extractive-1", "none, none" })
	void aNameIsNormalisedWithoutCasePrefixAndVersionSuffixes(String model, String normalised) {
		assertThat(ModelNames.normalise(model)).isEqualTo(normalised);
	}

	@Test
	void namesGoFromTheMostSpecificToTheMostGeneral() {
		assertThat(ModelNames.names("OpenAI/gpt-4o-mini-2024-07-18-latest")).containsExactly(
				"openai/gpt-4o-mini-2024-07-18-latest", "gpt-4o-mini-2024-07-18-latest", "gpt-4o-mini-2024-07-18",
				"gpt-4o-mini");
	}

	@Test
	void aNameThatIsOnlyASuffixIsKept() {
		assertThat(ModelNames.normalise("-latest")).isEqualTo("-latest");
	}

}
