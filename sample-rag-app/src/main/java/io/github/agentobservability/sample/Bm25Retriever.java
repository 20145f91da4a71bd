package io.github.agentobservability.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.CurrentSpan;

import org.springframework.stereotype.Component;

/**
 * Okapi BM25 ranking over the bundled corpus: real ranking with no model download, so the
 * sample runs offline.
 */
@Component
public class Bm25Retriever {

	/** The corpus, as the GenAI conventions' data source of the retrieval. */
	static final String DATA_SOURCE = "corpus";

	/** The retrieval span, named as the GenAI conventions name retrievals. */
	static final String RETRIEVAL_SPAN = "retrieval " + DATA_SOURCE;

	private static final double K1 = 1.2;

	private static final double B = 0.75;

	private final List<Passage> passages;

	private final List<Map<String, Integer>> termFrequencies = new ArrayList<>();

	private final Map<String, Integer> documentFrequencies = new HashMap<>();

	private final int[] lengths;

	private final double averageLength;

	public Bm25Retriever(Corpus corpus) {
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
	 * Returns the best passages for a query, best first; passages sharing no term with the
	 * query are left out. The query is the user's question, so it is not a span attribute.
	 * @param query the question
	 * @param limit how many passages at most
	 * @return the passages
	 */
	@Traced(value = RETRIEVAL_SPAN, kind = Traced.Kind.CLIENT, attributes = { "retrieval.method=bm25",
			"gen_ai.operation.name=retrieval", "gen_ai.data_source.id=" + DATA_SOURCE })
	public List<Passage> retrieve(String query, @SpanAttribute("retrieval.top_k") int limit) {
		List<String> queryTerms = tokenize(query);
		List<Scored> scored = new ArrayList<>();
		for (int i = 0; i < this.passages.size(); i++) {
			double score = score(queryTerms, i);
			if (score > 0) {
				scored.add(new Scored(this.passages.get(i), score));
			}
		}
		List<Passage> top = scored.stream()
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

	static List<String> tokenize(String text) {
		List<String> terms = new ArrayList<>();
		for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
			if (token.length() > 2) {
				terms.add(token);
			}
		}
		return terms;
	}

	private record Scored(Passage passage, double score) {
	}

}
