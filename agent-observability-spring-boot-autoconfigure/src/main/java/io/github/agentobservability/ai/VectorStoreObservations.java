package io.github.agentobservability.ai;

import java.util.List;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * Adds the number of documents a vector store query returned to its span, as the
 * tutorial's {@code retrieval.doc_count}; only loaded when Spring AI's vector store
 * support is present.
 */
final class VectorStoreObservations {

	static final AttributeKey<Long> DOC_COUNT = AttributeKey.longKey("retrieval.doc_count");

	private VectorStoreObservations() {
	}

	static boolean isVectorStore(Observation.Context context) {
		return context instanceof VectorStoreObservationContext;
	}

	static void enrich(Observation.Context context, Span span) {
		List<Document> documents = ((VectorStoreObservationContext) context).getQueryResponse();
		if (documents != null) {
			span.setAttribute(DOC_COUNT, (long) documents.size());
		}
	}

}
