/**
 * One value per key object, made on first use and kept while the key lives
 * (a WeakMap): for things derived once from a binding or the env, which stay
 * the same for every request of an isolate.
 */
export function onePer<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
