package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.ContentRedactor;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link ContentRedactor}.
 */
class PatternContentRedactorTests {

	private final ContentRedactor redactor = new PatternContentRedactor(List.of());

	static Stream<Arguments> secrets() {
		return Stream.of(Arguments.of("sk-proj-" + chars(48), "[REDACTED:api-key]"),
				Arguments.of("sk-" + chars(48), "[REDACTED:api-key]"),
				Arguments.of("sk-ant-api03-" + chars(90), "[REDACTED:api-key]"),
				Arguments.of("AKIAIOSFODNN7EXAMPLE", "[REDACTED:api-key]"),
				Arguments.of("ASIAIOSFODNN7EXAMPLE", "[REDACTED:api-key]"),
				Arguments.of("AIza" + chars(35), "[REDACTED:api-key]"),
				Arguments.of("ghp_" + alphanumeric(36), "[REDACTED:api-key]"),
				Arguments.of("gho_" + alphanumeric(40), "[REDACTED:api-key]"),
				Arguments.of("github_pat_11ABCDEFG0_" + alphanumeric(59), "[REDACTED:api-key]"),
				Arguments.of("xoxb-1234567890-0987654321-" + alphanumeric(24), "[REDACTED:api-key]"),
				Arguments.of("jane.doe+tag@example.co.uk", "[REDACTED:email]"),
				Arguments.of("j@example.io", "[REDACTED:email]"),
				Arguments.of("4111 1111 1111 1111", "[REDACTED:card-number]"),
				Arguments.of("4111-1111-1111-1111", "[REDACTED:card-number]"),
				Arguments.of("4111111111111111", "[REDACTED:card-number]"),
				Arguments.of("5500005555555559", "[REDACTED:card-number]"),
				Arguments.of("378282246310005", "[REDACTED:card-number]"),
				Arguments.of("3782 822463 10005", "[REDACTED:card-number]"),
				Arguments.of("4222222222222", "[REDACTED:card-number]"));
	}

	@ParameterizedTest
	@MethodSource("secrets")
	void secretIsReplacedByAMarkerAndSurroundingTextIsKept(String secret, String marker) {
		String redacted = this.redactor.redact("before " + secret + " after");
		assertThat(redacted).isEqualTo("before " + marker + " after").doesNotContain(secret);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "bearer 0123456789abcdef",
			"BEARER abcdefghijklmnopqrstuvwxyz", "Bearer dGhpcyBpcyBhIHRva2Vu9==" })
	void bearerTokenIsRedactedAndTheWordKept(String credentials) {
		String token = credentials.substring(credentials.indexOf(' ') + 1);
		String redacted = this.redactor.redact("Authorization: " + credentials + "\nAccept: */*");
		assertThat(redacted).doesNotContain(token)
			.isEqualTo("Authorization: " + credentials.substring(0, 6) + " [REDACTED:bearer-token]\nAccept: */*");
	}

	@ParameterizedTest
	@ValueSource(strings = { "sk-short", "task-force", "skeleton", "risk-averse-but-not-a-key",
			"1234 5678 9012 3456", "+1 415 555 0100", "2024-07-18", "user at example dot com",
			"ISBN 978-3-16-148410-0", "123e4567-e89b-12d3-a456-426614174000", "order 41111111111111112222 shipped",
			"pi is 3.1415926535897932", "4111111111111111abc", "AKIAIOSFODNN7EXAMPL", "the bearer of bad news",
			"bearer well-known", "@mention", "name@localhost", "ghp_short" })
	void nearMissIsLeftAlone(String text) {
		assertThat(this.redactor.redact(text)).isEqualTo(text);
	}

	@Test
	void textWithoutSecretsIsReturnedAsIs() {
		String text = "What is the capital of France? Paris, since 987.";
		assertThat(this.redactor.redact(text)).isSameAs(text);
	}

	@Test
	void everySecretOfATextIsRedacted() {
		String text = "mail jane@example.com or john@example.org, key sk-" + chars(30) + ", card 4111111111111111.";
		assertThat(this.redactor.redact(text)).isEqualTo(
				"mail [REDACTED:email] or [REDACTED:email], key [REDACTED:api-key], card [REDACTED:card-number].");
	}

	@Test
	void cardNumberFollowedByOtherNumbersIsRedacted() {
		assertThat(this.redactor.redact("paid with 4111 1111 1111 1111 12 28 yesterday"))
			.isEqualTo("paid with [REDACTED:card-number] 12 28 yesterday");
	}

	@Test
	void cardNumberGroupedUnlikeTheNumbersBeforeItIsRedactedAlone() {
		assertThat(this.redactor.redact("on 2024-07-18 5500-0055-5555-5559 was charged"))
			.isEqualTo("on 2024-07-18 [REDACTED:card-number] was charged");
	}

	@Test
	void userPatternsAreAppliedAfterBuiltInOnes() {
		ContentRedactor redactor = new PatternContentRedactor(List.of("EMP-\\d{6}", "(?i)password=\\S+"));
		assertThat(redactor.redact("EMP-123456 set Password=hunter2 for jane@example.com"))
			.isEqualTo("[REDACTED] set [REDACTED] for [REDACTED:email]");
	}

	@Test
	void malformedUserPatternIsRejectedWithItsIndex() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PatternContentRedactor(List.of("EMP-\\d{6}", "token=(\\w+")))
			.withMessageStartingWith("Redaction pattern at index 1 is not a valid regular expression: 'token=(\\w+'");
	}

	@Test
	void userPatternMatchingTheEmptyStringIsRejectedWithItsIndex() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PatternContentRedactor(List.of("x*")))
			.withMessage("Redaction pattern at index 0 matches the empty string: 'x*'");
	}

	@Test
	void longTextsAreRedactedInLinearTimeWithoutOverflowingTheStack() {
		String text = "a".repeat(1_000_000) + "@ " + "1 ".repeat(250_000) + "1x " + "1".repeat(500_000) + "x sk-"
				+ "!".repeat(100_000) + " bearer x@" + "a.".repeat(200_000) + "1";
		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(this.redactor.redact(text)).isEqualTo(text));
	}

	private static String chars(int length) {
		String alphabet = "aB3_xY9-Qz0";
		StringBuilder chars = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			chars.append(alphabet.charAt(i % alphabet.length()));
		}
		return chars.toString();
	}

	private static String alphanumeric(int length) {
		return chars(length).replace('_', 'u').replace('-', 'd');
	}

}
