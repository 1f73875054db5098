package io.headroom.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A {@link ValueCodec} that writes values as JSON through Jackson.
 *
 * <p>Jackson ({@code com.fasterxml.jackson.core:jackson-databind}) is an optional dependency of
 * this module: add it to use this class. Thread-safe (Jackson's readers and writers are).
 *
 * @param <V> the value type
 */
public final class JsonValueCodec<V> implements ValueCodec<V> {

  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonValueCodec(ObjectMapper mapper, JavaType type) {
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  /** JSON for {@code type} with a default {@link ObjectMapper}. */
  public static <V> JsonValueCodec<V> of(Class<V> type) {
    return of(new ObjectMapper(), type);
  }

  /** JSON for {@code type} with the given mapper (its configuration is captured now). */
  public static <V> JsonValueCodec<V> of(ObjectMapper mapper, Class<V> type) {
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(type, "type");
    return new JsonValueCodec<>(mapper, mapper.constructType(type));
  }

  /** JSON for a generic type such as {@code List<User>}, e.g. from a {@code TypeReference}. */
  public static <V> JsonValueCodec<V> of(ObjectMapper mapper, Type type) {
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(type, "type");
    return new JsonValueCodec<>(mapper, mapper.constructType(type));
  }

  @Override
  public byte[] encode(V value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public V decode(byte[] bytes) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
