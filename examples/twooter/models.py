from omega_gql.orm import Column, DateTime, ForeignKey, Integer, Model, String, func, relationship


class User(Model):
    __tablename__ = "user"
    id = Column(Integer, primary_key=True)
    user_name = Column(String, nullable=False, unique=True)
    joined_at = Column(DateTime, server_default=func.now())


class Twoot(Model):
    __tablename__ = "twoot"
    id = Column(Integer, primary_key=True)
    content = Column(String, nullable=False)
    posted_at = Column(DateTime, server_default=func.now(), index=True)
    user_id = Column(Integer, ForeignKey("user.id"), nullable=False)
    user = relationship(User, backref="twoots")
