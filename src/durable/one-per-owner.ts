/**
 * A getter of one `T` per owner object (the app's services, say), made on first use and dropped
 * with its owner: what activities and routes registered with the same services share.
 */
export function onePerOwner<T>(create: () => T): (owner: object) => T {
  const made = new WeakMap<object, T>();
  return (owner) => {
    let value = made.get(owner);
    if (value === undefined) {
      value = create();
      made.set(owner, value);
    }
    return value;
  };
}
