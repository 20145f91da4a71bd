package io.github.agentobservability.autoconfigure;

import java.util.List;
import java.util.function.UnaryOperator;

import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.ai.internal.ContentTruncator;
import io.github.agentobservability.ai.internal.PatternContentRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Reads {@code agent.observability.content.*} once for every part of the starter that
 * records content (Spring AI's prompts and completions, agent runs' input): the settings
 * are validated whether capture is on or not, so that a wrong pattern fails startup naming
 * its property, and the text is redacted by the application's {@link ContentRedactor}, then
 * truncated, by the same function everywhere.
 */
final class ContentCaptureSettings {

	static final String PREFIX = "agent.observability.content.";

	private ContentCaptureSettings() {
	}

	/**
	 * Validates the redaction patterns and returns the built-in redactor with them.
	 * @param content the settings
	 * @return the redactor
	 * @throws InvalidConfigurationPropertyValueException naming the pattern that is wrong
	 */
	static ContentRedactor redactor(AgentObservabilityProperties.Content content) {
		List<String> patterns = content.getRedaction().getPatterns();
		for (int i = 0; i < patterns.size(); i++) {
			try {
				PatternContentRedactor.compile(patterns.get(i));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "redaction.patterns[" + i + "]",
						patterns.get(i), "The redaction pattern " + ex.getMessage());
			}
		}
		return ContentRedactor.builtIn(patterns);
	}

	/**
	 * Validates the settings and returns the function content goes through.
	 * @param content the settings
	 * @param redactor the application's redactor
	 * @return redaction then truncation, or {@code null} when capture is off
	 * @throws InvalidConfigurationPropertyValueException naming the property that is wrong
	 */
	static @Nullable UnaryOperator<String> text(AgentObservabilityProperties.Content content,
			ContentRedactor redactor) {
		if (content.getMaxLength() < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-length", content.getMaxLength(),
					"The maximum length of recorded content must be positive.");
		}
		if (!content.isCapture()) {
			return null;
		}
		ContentTruncator truncator = new ContentTruncator(content.getMaxLength());
		return (text) -> truncator.truncate(redactor.redact(text));
	}

}
