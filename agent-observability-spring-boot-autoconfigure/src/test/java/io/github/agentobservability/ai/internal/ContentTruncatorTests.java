package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.internal.ContentTruncator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ContentTruncator}.
 */
class ContentTruncatorTests {

	@Test
	void textShorterThanMaxLengthIsReturnedAsIs() {
		String text = "short";
		assertThat(new ContentTruncator(10).truncate(text)).isSameAs(text);
	}

	@Test
	void textOfMaxLengthIsReturnedAsIs() {
		String text = "exactly10!";
		assertThat(new ContentTruncator(10).truncate(text)).isSameAs(text);
	}

	@Test
	void longerTextKeepsItsFirstCharactersAndSaysHowManyWereCut() {
		assertThat(new ContentTruncator(4).truncate("abcdefghij")).isEqualTo("abcd…[truncated 6 chars]");
	}

	@Test
	void surrogatePairStraddlingTheLimitIsCutWhole() {
		// U+1F600 is two chars: a high surrogate at index 2 and a low surrogate at index 3
		assertThat(new ContentTruncator(3).truncate("ab\uD83D\uDE00cd")).isEqualTo("ab…[truncated 4 chars]");
	}

	@Test
	void surrogatePairEndingAtTheLimitIsKept() {
		assertThat(new ContentTruncator(4).truncate("ab\uD83D\uDE00cd")).isEqualTo("ab\uD83D\uDE00…[truncated 2 chars]");
	}

	@Test
	void surrogatePairAtTheStartOfATextTruncatedToOneCharIsCutWhole() {
		assertThat(new ContentTruncator(1).truncate("\uD83D\uDE00")).isEqualTo("…[truncated 2 chars]");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1 })
	void nonPositiveMaxLengthIsRejected(int maxLength) {
		assertThatIllegalArgumentException().isThrownBy(() -> new ContentTruncator(maxLength))
			.withMessage("maxLength must be positive but was " + maxLength);
	}

}
