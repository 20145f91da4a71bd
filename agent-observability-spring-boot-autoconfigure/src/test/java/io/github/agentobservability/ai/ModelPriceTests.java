package io.github.agentobservability.ai;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ModelPrice}.
 */
class ModelPriceTests {

	private static final ModelPrice GPT_4O_MINI = price("0.15", "0.60", "0.075");

	@Test
	void costIsExactToTheLastDigitWithoutTrailingZeros() {
		assertThat(GPT_4O_MINI.cost(812, 95, 0)).isEqualTo(new BigDecimal("0.0001788"));
	}

	@Test
	void cachedInputTokensArePricedAtTheCachedInputPrice() {
		// 600 × 0.15 + 400 × 0.075 + 10 × 0.60 = 90 + 30 + 6 = 126 per million tokens
		assertThat(GPT_4O_MINI.cost(1_000, 10, 400)).isEqualTo(new BigDecimal("0.000126"));
	}

	@Test
	void cachedInputTokensArePricedAsInputWithoutCachedInputPrice() {
		ModelPrice price = price("3", "15", null);
		assertThat(price.cost(1_000, 0, 400)).isEqualTo(price.cost(1_000, 0, 0)).isEqualTo(new BigDecimal("0.003"));
	}

	@Test
	void costOfAMillionTokensIsThePricePerMillion() {
		assertThat(price("2.50", "10.00", null).cost(1_000_000, 1_000_000, 0)).isEqualTo(new BigDecimal("12.5"));
	}

	@Test
	void costOfNoTokensIsZero() {
		assertThat(GPT_4O_MINI.cost(0, 0, 0)).isEqualTo(BigDecimal.ZERO);
	}

	@Test
	void costOfAnEmbeddingIsItsInputCost() {
		assertThat(price("0.02", "0", null).cost(1_234, 0, 0)).isEqualTo(new BigDecimal("0.00002468"));
	}

	@Test
	void negativeInputPriceIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> price("-0.01", "1", null))
			.withMessage("inputPerMillion must not be negative but was -0.01");
	}

	@Test
	void negativeOutputPriceIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> price("1", "-1", null))
			.withMessage("outputPerMillion must not be negative but was -1");
	}

	@Test
	void negativeCachedInputPriceIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> price("1", "1", "-0.5"))
			.withMessage("cachedInputPerMillion must not be negative but was -0.5");
	}

	@Test
	void zeroPricesAreAccepted() {
		assertThat(price("0", "0", "0").cost(10, 10, 5)).isEqualTo(BigDecimal.ZERO);
	}

	@Test
	void negativeTokenCountsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> GPT_4O_MINI.cost(10, -1, 0))
			.withMessageContaining("output=-1");
	}

	@Test
	void cachedInputTokensExceedingInputTokensAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> GPT_4O_MINI.cost(10, 0, 11))
			.withMessageContaining("Cached input tokens (11)");
	}

	private static ModelPrice price(String input, String output, String cachedInput) {
		return new ModelPrice(new BigDecimal(input), new BigDecimal(output),
				(cachedInput != null) ? new BigDecimal(cachedInput) : null);
	}

}
