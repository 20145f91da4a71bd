package io.github.agentobservability.sample;

/**
 * A document of the bundled corpus.
 *
 * @param id stable identifier, cited as a source
 * @param title short title
 * @param text body text
 */
public record Passage(String id, String title, String text) {
}
