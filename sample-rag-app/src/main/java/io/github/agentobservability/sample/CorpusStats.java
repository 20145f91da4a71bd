package io.github.agentobservability.sample;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/**
 * The agent's tool: how much of the corpus covers a topic. Spring AI turns the
 * {@link Tool} method into a tool the model can call; the starter traces each call as an
 * {@code execute_tool countDocuments} span.
 */
@Component
public class CorpusStats {

	/** Tool context key: whether this call must fail (chaos). */
	static final String FAIL = "sample.chaos.fail-tool";

	private final Corpus corpus;

	public CorpusStats(Corpus corpus) {
		this.corpus = corpus;
	}

	@Tool(name = "countDocuments",
			description = "Counts the documents of the corpus that mention a topic and returns their ids")
	public String countDocuments(@ToolParam(description = "a topic: one word, such as 'sampling'") String topic,
			@Nullable ToolContext context) {
		if (context != null && Boolean.TRUE.equals(context.getContext().get(FAIL))) {
			throw new IllegalStateException("Injected tool failure");
		}
		String needle = topic.strip().toLowerCase(Locale.ROOT);
		List<String> ids = this.corpus.passages()
			.stream()
			.filter((passage) -> !needle.isEmpty()
					&& (passage.title() + " " + passage.text()).toLowerCase(Locale.ROOT).contains(needle))
			.map(Passage::id)
			.toList();
		return ids.size() + " of " + this.corpus.passages().size() + " documents mention \"" + topic.strip() + "\""
				+ (ids.isEmpty() ? "" : ": " + String.join(", ", ids));
	}

}
