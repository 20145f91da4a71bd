package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.ModelPrice;
import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ModelPricing}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelPriceTableTests {

	/** A table where each model has its own price, to tell which one a name resolves to. */
	private static final Map<String, ModelPrice> PRICES = Map.of("gpt-4o", price(1), "gpt-4o-mini", price(2),
			"gpt-4o-2024-05-13", price(3), "claude-3-5-sonnet", price(4), "claude-3-7-sonnet", price(5),
			"mistral-large", price(6), "gemini-2.0-flash", price(7), "o1", price(8));

	private final ModelPriceTable pricing = new ModelPriceTable(PRICES);

	@Test
	void exactNameResolvesIgnoringCase() {
		assertThat(this.pricing.priceOf("GPT-4o-Mini")).contains(PRICES.get("gpt-4o-mini"));
	}

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini-2024-07-18, gpt-4o-mini", "claude-3-5-sonnet-20241022, claude-3-5-sonnet",
			"claude-3-5-sonnet@20240620, claude-3-5-sonnet", "mistral-large-2411, mistral-large",
			"claude-3-7-sonnet-latest, claude-3-7-sonnet", "o1-preview, o1", "gemini-2.0-flash-exp, gemini-2.0-flash",
			"models/gemini-2.0-flash, gemini-2.0-flash", "openai/gpt-4o-mini, gpt-4o-mini",
			"openai/GPT-4o-2024-08-06, gpt-4o", "mistral-large-2411-latest, mistral-large" })
	void nameResolvesWithoutProviderPrefixAndVersionSuffixes(String model, String known) {
		assertThat(this.pricing.priceOf(model)).contains(PRICES.get(known));
	}

	@Test
	void knownNameWithADateSuffixResolvesToItself() {
		assertThat(this.pricing.priceOf("gpt-4o-2024-05-13")).contains(PRICES.get("gpt-4o-2024-05-13"));
	}

	@Test
	void knownNameWithAProviderPrefixResolvesToItself() {
		ModelPriceTable pricing = new ModelPriceTable(Map.of("meta-llama/llama-3-70b", price(1), "llama-3-70b", price(2)));
		assertThat(pricing.priceOf("meta-llama/llama-3-70b")).contains(price(1));
	}

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini-audio-x, gpt-4o-mini", "gpt-4o-mini-search-preview-2025-03-11, gpt-4o-mini",
			"gpt-4o-audio-preview, gpt-4o", "gemini-2.0-flash-001, gemini-2.0-flash", "o1-pro-2025-03-19, o1" })
	void nameResolvesToTheLongestKnownNameStartingIt(String model, String known) {
		assertThat(this.pricing.priceOf(model)).contains(PRICES.get(known));
	}

	@ParameterizedTest
	@ValueSource(strings = { "gpt-4oz", "o1x", "gpt", "claude-3-5", "acme-1-latest" })
	void nameStartingWithAKnownNameNotFollowedByADashIsUnknown(String model) {
		assertThat(this.pricing.priceOf(model)).isEmpty();
	}

	@Test
	void overridesWinOverDefaultsIgnoringCase() {
		ModelPrice override = price(42);
		ModelPriceTable pricing = ModelPriceTable.withDefaults(Map.of("GPT-4o-Mini", override));
		assertThat(pricing.priceOf("gpt-4o-mini")).contains(override);
		assertThat(pricing.priceOf("gpt-4o-mini-2024-07-18")).contains(override);
		assertThat(pricing.priceOf("gpt-4o")).contains(ModelPriceTable.defaults().get("gpt-4o"));
	}

	@Test
	void overridesAddModels() {
		ModelPriceTable pricing = ModelPriceTable.withDefaults(Map.of("acme-1", price(42)));
		assertThat(pricing.priceOf("acme-1-latest")).contains(price(42));
		assertThat(pricing.priceOf("claude-sonnet-4-20250514")).contains(ModelPriceTable.defaults().get("claude-sonnet-4"));
	}

	@Test
	void namesDifferingOnlyByCaseAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelPriceTable.withDefaults(Map.of("acme-1", price(1), "ACME-1", price(2))))
			.withMessageContaining("'acme-1' has more than one price");
	}

	@Test
	void costIsComputedWithTheResolvedPrice() {
		ModelPriceTable pricing = ModelPriceTable.withDefaults(Map.of());
		assertThat(pricing.cost("gpt-4o-mini-2024-07-18", 812, 95, 0)).contains(new BigDecimal("0.0001788"));
	}

	@Test
	void unknownModelHasNoCost() {
		assertThat(this.pricing.cost("acme-1", 812, 95, 0)).isEmpty();
	}

	@Test
	void unknownModelIsWarnedAboutOnce(CapturedOutput output) {
		assertThat(this.pricing.priceOf("acme-1")).isEmpty();
		assertThat(this.pricing.priceOf("acme-1")).isEmpty();
		assertThat(output).containsOnlyOnce("No price for model 'acme-1': add "
				+ "agent.observability.pricing.models.acme-1.input-per-million and .output-per-million; "
				+ "its calls get no cost");
	}

	@Test
	void warningNamesThePropertyOfAModelWithDotsOrSlashesInBrackets(CapturedOutput output) {
		this.pricing.priceOf("acme/acme-1.5");
		assertThat(output).contains("add agent.observability.pricing.models[acme/acme-1.5].input-per-million");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "-", "/", "@", "-latest", "@20240620", "models/", "gpt-4o-", "\u0000",
			"-2024-07-18-2024-07-18" })
	void oddNamesDoNotThrow(String model) {
		assertThatNoException().isThrownBy(() -> this.pricing.priceOf(model));
	}

	@Test
	void blankOrMissingNameHasNoPriceAndIsNotWarnedAbout(CapturedOutput output) {
		assertThat(this.pricing.priceOf(null)).isEmpty();
		assertThat(this.pricing.priceOf("")).isEmpty();
		assertThat(this.pricing.priceOf("  ")).isEmpty();
		assertThat(output).doesNotContain("No price for model");
	}

	@Test
	void manyDistinctUnknownModelsNeitherGrowTheCacheNorTheWarningsUnboundedly(CapturedOutput output) {
		for (int i = 0; i < 10_000; i++) {
			assertThat(this.pricing.priceOf("acme-" + i)).isEmpty();
		}
		assertThat(this.pricing.cachedResolutions()).isEqualTo(ModelPriceTable.MAX_CACHED_MODELS);
		assertThat(output.getOut().split("No price for model", -1)).hasSize(ModelPriceTable.MAX_WARNED_MODELS + 1);
		assertThat(this.pricing.priceOf("gpt-4o-mini-2024-07-18")).contains(PRICES.get("gpt-4o-mini"));
	}

	@Test
	void defaultPricesParseAndAreNotNegative() {
		assertThat(ModelPriceTable.defaults()).hasSizeGreaterThan(40).allSatisfy((model, price) -> {
			assertThat(model).isLowerCase();
			assertThat(price.inputPerMillion()).isNotNegative();
			assertThat(price.outputPerMillion()).isNotNegative();
			if (price.cachedInputPerMillion() != null) {
				assertThat(price.cachedInputPerMillion()).isNotNegative().isLessThanOrEqualTo(price.inputPerMillion());
			}
		});
	}

	@Test
	void defaultPricesCoverCommonModels() {
		assertThat(ModelPriceTable.defaults()).containsKeys("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini",
				"gpt-4.1-nano", "o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano",
				"text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002", "claude-opus-4",
				"claude-opus-4-1", "claude-sonnet-4", "claude-3-7-sonnet", "claude-3-5-sonnet", "claude-3-5-haiku",
				"claude-3-haiku", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
				"gemini-1.5-pro", "gemini-1.5-flash", "mistral-large", "mistral-medium", "mistral-small", "codestral",
				"open-mistral-nemo", "mistral-embed");
	}

	@Test
	void defaultPriceOfGpt4oMiniIsItsListPrice() {
		ModelPrice price = ModelPriceTable.defaults().get("gpt-4o-mini");
		assertThat(price.inputPerMillion()).isEqualByComparingTo("0.15");
		assertThat(price.outputPerMillion()).isEqualByComparingTo("0.60");
		assertThat(price.cachedInputPerMillion()).isEqualByComparingTo("0.075");
	}

	@Test
	void defaultPricesCannotBeModified() {
		assertThat(ModelPriceTable.defaults()).isUnmodifiable();
	}

	@Test
	void missingBuiltInPricesFailTheCallerNamingTheResource() {
		FilteredClassLoader withoutPrices = new FilteredClassLoader(
				new ClassPathResource(ModelPriceTable.DEFAULTS_RESOURCE));
		assertThatIllegalStateException().isThrownBy(() -> ModelPriceTable.readDefaults(withoutPrices))
			.withMessageContaining(ModelPriceTable.DEFAULTS_RESOURCE)
			.withMessageContaining("not found");
	}

	private static ModelPrice price(int input) {
		return new ModelPrice(BigDecimal.valueOf(input), BigDecimal.valueOf(input * 2L), null);
	}

}
