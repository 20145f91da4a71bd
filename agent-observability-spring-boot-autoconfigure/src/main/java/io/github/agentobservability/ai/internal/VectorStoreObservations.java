package io.github.agentobservability.ai.internal;

import java.util.List;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * Makes a vector store query the GenAI conventions' retrieval step, so that backends show
 * it as one: {@code gen_ai.operation.name=retrieval}, {@code gen_ai.data_source.id} (the
 * collection, else the store), {@code gen_ai.retrieval.top_k}, a client span named
 * {@code retrieval {data source}}; and adds the number of documents returned, as the
 * tutorial's {@code retrieval.doc_count}. Only loaded when Spring AI's vector store
 * support is present.
 */
final class VectorStoreObservations {

	static final AttributeKey<Long> DOC_COUNT = AttributeKey.longKey("retrieval.doc_count");

	static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");

	static final AttributeKey<String> DATA_SOURCE = AttributeKey.stringKey("gen_ai.data_source.id");

	static final AttributeKey<Long> TOP_K = AttributeKey.longKey("gen_ai.retrieval.top_k");

	static final String RETRIEVAL = "retrieval";

	private VectorStoreObservations() {
	}

	static boolean isVectorStore(Observation.Context context) {
		return context instanceof VectorStoreObservationContext;
	}

	static boolean isQuery(Observation.Context context) {
		return context instanceof VectorStoreObservationContext store
				&& VectorStoreObservationContext.Operation.QUERY.value().equals(store.getOperationName());
	}

	/**
	 * The span name of a query, {@code retrieval {data source}}.
	 */
	static String querySpanName(Observation.Context context) {
		return RETRIEVAL + " " + dataSource((VectorStoreObservationContext) context);
	}

	static void enrich(Observation.Context context, Span span) {
		VectorStoreObservationContext store = (VectorStoreObservationContext) context;
		if (isQuery(context)) {
			span.setAttribute(OPERATION, RETRIEVAL);
			span.setAttribute(DATA_SOURCE, dataSource(store));
			SearchRequest request = store.getQueryRequest();
			if (request != null) {
				span.setAttribute(TOP_K, (long) request.getTopK());
			}
		}
		List<Document> documents = store.getQueryResponse();
		if (documents != null) {
			span.setAttribute(DOC_COUNT, (long) documents.size());
		}
	}

	private static String dataSource(VectorStoreObservationContext store) {
		String collection = store.getCollectionName();
		return (collection != null && !collection.isBlank()) ? collection : store.getDatabaseSystem();
	}

}
