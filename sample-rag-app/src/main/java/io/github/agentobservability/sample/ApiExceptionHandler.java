package io.github.agentobservability.sample;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details (RFC 9457) for every failure of the API, naming the problem and never
 * showing a stack trace or an exception message from inside the application.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiExceptionHandler.class);

	private final Tracer tracer;

	public ApiExceptionHandler(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + ": " + error.getDefaultMessage())
			.sorted()
			.toList();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, String.join("; ", errors));
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				"The request body must be a JSON object like {\"question\": \"...\"} or "
						+ "{\"question\": \"...\", \"conversationId\": \"...\"}, with strings for both.");
		problem.setTitle("Unreadable request body");
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	/**
	 * A failed agent run: the model or the agent itself failed. The trace id leads to the
	 * recorded error.
	 * @param ex the failure
	 * @return a 502 problem
	 */
	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ProblemDetail> agentFailed(RuntimeException ex) {
		logger.warn("Agent run failed: " + ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"The agent could not answer the question.");
		problem.setTitle("Agent run failed");
		Span span = this.tracer.currentSpan();
		if (span != null) {
			problem.setProperty("traceId", span.context().traceId());
		}
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
	}

}
