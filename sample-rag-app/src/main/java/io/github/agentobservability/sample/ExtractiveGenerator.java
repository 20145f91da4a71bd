package io.github.agentobservability.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.agentobservability.annotation.Traced;

import org.springframework.stereotype.Component;

/**
 * Composes an answer from the retrieved passages, one best-matching sentence per passage:
 * the offline stand-in for a language model.
 */
@Component
public class ExtractiveGenerator {

	@Traced(value = "generation", attributes = "generation.method=extractive")
	public String generate(String question, List<Passage> passages) {
		if (passages.isEmpty()) {
			return "I could not find anything about that in the corpus.";
		}
		Set<String> questionTerms = new HashSet<>(Bm25Retriever.tokenize(question));
		List<String> sentences = new ArrayList<>();
		for (Passage passage : passages) {
			sentences.add(bestSentence(passage.text(), questionTerms) + " [" + passage.id() + "]");
		}
		return String.join(" ", sentences);
	}

	private static String bestSentence(String text, Set<String> questionTerms) {
		String best = text;
		long bestOverlap = -1;
		for (String sentence : text.split("(?<=[.!?])\\s+")) {
			long overlap = Bm25Retriever.tokenize(sentence).stream().filter(questionTerms::contains).count();
			if (overlap > bestOverlap) {
				best = sentence;
				bestOverlap = overlap;
			}
		}
		return best;
	}

}
