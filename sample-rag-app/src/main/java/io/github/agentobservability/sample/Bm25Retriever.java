package io.github.agentobservability.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.CurrentSpan;

import org.springframework.stereotype.Component;

/**
 * Okapi BM25 ranking over the bundled corpus: real ranking with no model download, so the
 * sample runs offline. English stop words are no terms, and passages scoring too low
 * ({@link SampleProperties.Retrieval}) are left out, so that a question the corpus does
 * not cover retrieves nothing instead of the passages that happen to share its "what"
 * and "the".
 */
@Component
public class Bm25Retriever {

	/** The corpus, as the GenAI conventions' data source of the retrieval. */
	static final String DATA_SOURCE = "corpus";

	/** The retrieval span, named as the GenAI conventions name retrievals. */
	static final String RETRIEVAL_SPAN = "retrieval " + DATA_SOURCE;

	private static final double K1 = 1.2;

	private static final double B = 0.75;

	/**
	 * Words that say nothing about a topic: English function words and the words that
	 * ask a question ("explain", "tell", "mean"). Words of one or two letters are no
	 * terms anyway.
	 */
	private static final Set<String> STOP_WORDS = Set.of("about", "after", "again", "all", "also", "and", "any", "are",
			"because", "been", "before", "being", "between", "both", "but", "can", "could", "describe", "did", "does",
			"doing", "done", "during", "each", "explain", "for", "from", "get", "had", "has", "have", "her", "here",
			"him", "his", "how", "into", "its", "just", "know", "like", "many", "mean", "means", "more", "most", "much",
			"must", "need", "not", "only", "other", "our", "out", "over", "please", "same", "see", "she", "should",
			"some", "such", "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
			"those", "through", "too", "use", "used", "using", "very", "want", "was", "were", "what", "when", "where",
			"which", "while", "who", "whom", "whose", "why", "will", "with", "work", "works", "would", "you", "your");

	private final List<Passage> passages;

	private final List<Map<String, Integer>> termFrequencies = new ArrayList<>();

	private final Map<String, Integer> documentFrequencies = new HashMap<>();

	private final int[] lengths;

	private final double averageLength;

	private final double minScore;

	private final double minRelativeScore;

	public Bm25Retriever(Corpus corpus, SampleProperties properties) {
		this.minScore = properties.getRetrieval().getMinScore();
		this.minRelativeScore = properties.getRetrieval().getMinRelativeScore();
		this.passages = corpus.passages();
		this.lengths = new int[this.passages.size()];
		long total = 0;
		for (int i = 0; i < this.passages.size(); i++) {
			Passage passage = this.passages.get(i);
			List<String> terms = tokenize(passage.title() + " " + passage.text());
			Map<String, Integer> frequencies = new HashMap<>();
			terms.forEach((term) -> frequencies.merge(term, 1, Integer::sum));
			frequencies.keySet().forEach((term) -> this.documentFrequencies.merge(term, 1, Integer::sum));
			this.termFrequencies.add(frequencies);
			this.lengths[i] = terms.size();
			total += terms.size();
		}
		this.averageLength = this.passages.isEmpty() ? 1 : (double) total / this.passages.size();
	}

	/**
	 * Returns the best passages for a query, best first: those scoring at least the
	 * minimum score and at least the minimum relative score times the best score, so
	 * that an answer draws on the passages that match the question and on no others. The
	 * query is the user's question, so it is not a span attribute.
	 * @param query the question
	 * @param limit how many passages at most
	 * @return the passages, none when the corpus does not cover the question
	 */
	@Traced(value = RETRIEVAL_SPAN, kind = Traced.Kind.CLIENT, attributes = { "retrieval.method=bm25",
			"gen_ai.operation.name=retrieval", "gen_ai.data_source.id=" + DATA_SOURCE })
	public List<Passage> retrieve(String query, @SpanAttribute("retrieval.top_k") int limit) {
		List<String> queryTerms = tokenize(query);
		List<Scored> scored = new ArrayList<>();
		for (int i = 0; i < this.passages.size(); i++) {
			double score = score(queryTerms, i);
			if (score > 0 && score >= this.minScore) {
				scored.add(new Scored(this.passages.get(i), score));
			}
		}
		double best = scored.stream().mapToDouble(Scored::score).max().orElse(0);
		List<Passage> top = scored.stream()
			.filter((candidate) -> candidate.score() >= best * this.minRelativeScore)
			.sorted(Comparator.comparingDouble(Scored::score).reversed())
			.limit(limit)
			.map(Scored::passage)
			.toList();
		CurrentSpan.setAttribute("retrieval.doc_count", top.size());
		// The GenAI conventions' name of the tutorial's retrieval.top_k, for backends that
		// show retrieval steps.
		CurrentSpan.setAttribute("gen_ai.retrieval.top_k", limit);
		return top;
	}

	private double score(List<String> queryTerms, int document) {
		Map<String, Integer> frequencies = this.termFrequencies.get(document);
		double score = 0;
		for (String term : queryTerms) {
			Integer frequency = frequencies.get(term);
			if (frequency == null) {
				continue;
			}
			int containing = this.documentFrequencies.get(term);
			double idf = Math.log(1 + (this.passages.size() - containing + 0.5) / (containing + 0.5));
			double norm = frequency + K1 * (1 - B + B * this.lengths[document] / this.averageLength);
			score += idf * frequency * (K1 + 1) / norm;
		}
		return score;
	}

	/**
	 * The terms of a text: its words of three letters or more, lower case, stop words
	 * left out.
	 * @param text the text
	 * @return the terms, in order, with repetitions
	 */
	static List<String> tokenize(String text) {
		List<String> terms = new ArrayList<>();
		for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
			if (token.length() > 2 && !STOP_WORDS.contains(token)) {
				terms.add(token);
			}
		}
		return terms;
	}

	private record Scored(Passage passage, double score) {
	}

}
