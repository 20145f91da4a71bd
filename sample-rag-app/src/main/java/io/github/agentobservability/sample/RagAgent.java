package io.github.agentobservability.sample;

import java.util.List;

import io.github.agentobservability.annotation.Traced;

import org.springframework.stereotype.Service;

/**
 * Retrieve, then generate: one traced agent run with a span per step.
 */
@Service
public class RagAgent {

	static final int TOP_K = 3;

	private final Bm25Retriever retriever;

	private final ExtractiveGenerator generator;

	public RagAgent(Bm25Retriever retriever, ExtractiveGenerator generator) {
		this.retriever = retriever;
		this.generator = generator;
	}

	@Traced(value = "agent_run", attributes = "agent.name=rag")
	public Answer ask(String question) {
		List<Passage> passages = this.retriever.retrieve(question, TOP_K);
		String answer = this.generator.generate(question, passages);
		return new Answer(answer, passages.stream().map(Passage::id).toList());
	}

	/**
	 * What the agent found.
	 *
	 * @param answer the answer text
	 * @param sources ids of the passages it is drawn from
	 */
	public record Answer(String answer, List<String> sources) {
	}

}
